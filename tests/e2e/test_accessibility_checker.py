"""The journeys' accessibility check finds what it should, and only that."""

from .accessibility import accessibility_faults

FAULTY = """<!doctype html><html lang="zh-CN"><body>
<h2>没有一级标题</h2>
<p style="color:#aaa">浅灰色的正文</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<input name="q">
<select name="region"><option>全部</option></select>
<textarea name="body"></textarea>
</body></html>"""

SOUND = """<!doctype html><html lang="zh-CN"><body style="background:#fffdf9">
<h1>标题</h1>
<p style="color:#555a60">说明文字</p>
<p style="color:#fff;background:#a3121b">白字红底</p>
<span style="position:absolute;left:-999px;color:#eee">移出屏幕的跳转链接</span>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">
<label for="q">搜索</label><input id="q" name="q">
<label>地区 <select name="region"><option>全部</option></select></label>
<textarea name="body" aria-label="正文"></textarea>
<input type="hidden" name="token"><input type="submit" value="提交">
</body></html>"""


def test_the_checker_finds_each_kind_of_fault(chromium):
    page = chromium.new_page()
    page.set_content(FAULTY)

    faults = accessibility_faults(page)

    assert any(fault.startswith("image without alt text") for fault in faults)
    assert [fault.split(": ")[1] for fault in faults if fault.startswith("form field")] == [
        "input[name=q]",
        "select[name=region]",
        "textarea[name=body]",
    ]
    assert "page without an h1" in faults
    assert any(fault.startswith("low contrast 2.32:1") and "浅灰色的正文" in fault for fault in faults)
    assert len(faults) == 6


def test_the_checker_passes_a_sound_page(chromium):
    page = chromium.new_page()
    page.set_content(SOUND)

    assert accessibility_faults(page) == []
