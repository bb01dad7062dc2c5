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


FAULTY_FOR_READERS = """<!doctype html><html lang="zh-CN"><body>
<h1>稿件</h1>
<h3>跳过二级的标题</h3>
<div aria-label="当前筛选"><span>地区：张掖市</span></div>
<a href="?" aria-label="去掉条件">移除地区：张掖市 ✕</a>
<p>正文里有<a href="/x/" style="text-decoration:none">一个链接</a>，只靠颜色区分。</p>
<p id="twice">一</p><p id="twice">二</p>
<section aria-labelledby="nowhere"><p>没有标题</p></section>
</body></html>"""

SOUND_FOR_READERS = """<!doctype html><html lang="zh-CN"><body>
<h1>稿件</h1>
<h2 id="count">共 3 篇</h2>
<section aria-labelledby="active"><h3 id="active">当前筛选</h3>
<ul><li><a href="?" style="text-decoration:none;border:1px solid">移除地区：张掖市 ✕</a></li></ul></section>
<article><h3><a href="/1/" style="text-decoration:none">只有链接的标题</a></h3>
<p>正文里有<a href="/x/">一个链接</a>，带下划线。</p></article>
<nav aria-label="主导航"><ul><li><a href="/" style="text-decoration:none">首页</a></li></ul></nav>
<a href="/qr/" aria-label="扫码阅读本文">扫码阅读</a>
</body></html>"""


def test_the_readers_checks_find_each_kind_of_fault(chromium):
    page = chromium.new_page()
    page.set_content(FAULTY_FOR_READERS)

    faults = accessibility_faults(page, reader=True)

    assert "heading skips a level: h1 to h3 “跳过二级的标题”" in faults
    assert "aria-label on a div without a role: “当前筛选”" in faults
    assert "name “去掉条件” does not hold the words shown “移除地区：张掖市 ✕”" in faults
    assert "link told apart by colour only: “一个链接”" in faults
    assert "id used 2 times: twice" in faults
    assert "refers to a missing id: nowhere" in faults
    assert len(faults) == 6
    assert accessibility_faults(page) == [], "the readers' checks are asked for"


def test_the_readers_checks_pass_a_sound_page(chromium):
    page = chromium.new_page()
    page.set_content(SOUND_FOR_READERS)

    assert accessibility_faults(page, reader=True) == []
