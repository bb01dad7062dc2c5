import datetime
import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from newsroom import import_uploads, tasks
from newsroom.services.imports import Upload, import_bulletin
from newsroom.services.imports.plan import problem_text, summary_text


class Command(BaseCommand):
    help = (
        "把稿件文件导入报纸各期：版面文本（.txt）、版面 PDF（.pdf）、表格（.csv、.xlsx、.json）或整期包（.zip）。"
        "全有或全无：有一处错误就什么也不写入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="文件", help="要导入的文件")
        parser.add_argument("--issue", type=int, help="没有自带期号的稿件所属的期（整期包、表格的“期号”列自带）")
        parser.add_argument(
            "--date", help="这一期的出版日期，YYYY-MM-DD，新的一期须给（表格的“出版日期”列给出各行的日期）"
        )
        parser.add_argument("--page", type=int, help="单个版面文本的版次，或版面 PDF 第一页的版次")
        parser.add_argument("--user", help="以这位用户的身份和角色权限导入（导入已发布的稿件需要）")
        parser.add_argument("--dry-run", action="store_true", help="只读取和核对，什么也不写入")
        parser.add_argument(
            "--background",
            action="store_true",
            help="交给后台进程（manage.py worker）导入，立即返回；用 manage.py jobs 查看进度",
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="输出一个 JSON 对象：稿件、错误、警告")

    def handle(self, *args, paths, issue, date, page, user, dry_run, as_json, background, **options):
        issue_date = None
        if date:
            try:
                issue_date = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date “{date}”：日期应写成 YYYY-MM-DD，如 2026-11-20") from None
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"--user “{user}”：没有这个在用的用户")
        uploads = []
        for path in paths:
            try:
                uploads.append(Upload(name=Path(path).name, data=Path(path).read_bytes()))
            except OSError as error:
                raise CommandError(f"{path}：无法读取（{error.strerror}）") from None
        if background:
            token = import_uploads.keep(actor, uploads)
            arguments = {"issue_number": issue, "issue_date": issue_date, "page": page}
            job = (tasks.preview_upload if dry_run else tasks.import_upload)(actor, token, arguments)
            self.stdout.write(f"已排队：{job}。查看进度：manage.py jobs {job.pk}")
            return
        options = {"progress": ProgressBar(sys.stderr)} if not as_json and sys.stderr.isatty() else {}
        plan, batch = import_bulletin(
            uploads,
            actor=actor,
            issue_number=issue,
            issue_date=issue_date,
            page=page,
            dry_run=dry_run,
            page_images_now=True,
            **options,
        )
        if options:
            options["progress"].close()
        if as_json:
            self.stdout.write(self.json_report(plan, batch, dry_run))
        else:
            self.report(plan, batch, dry_run)
        if plan.errors:
            raise SystemExit(1)

    def json_report(self, plan, batch, dry_run):
        items = []
        for planned in plan.planned:
            item = planned.item.as_dict()
            item["action"] = planned.action
            items.append(item)
        result = {
            "items": items,
            "errors": [problem.as_dict() for problem in plan.errors],
            "warnings": [problem.as_dict() for problem in plan.warnings],
            "summary": plan.summary(),
            "dry_run": dry_run,
            "batch": batch.pk if batch else None,
        }
        return json.dumps(result, ensure_ascii=False, indent=1)

    def report(self, plan, batch, dry_run):
        for problem in plan.warnings:
            self.stderr.write(f"警告：{problem_text(problem)}")
        for problem in plan.errors:
            self.stderr.write(f"错误：{problem_text(problem)}")
        counts = summary_text(plan.summary())
        if plan.errors:
            self.stderr.write(f"未写入：{len(plan.errors)} 处错误。（{counts}）")
        elif dry_run:
            self.stdout.write(f"试读，未写入：{counts}")
        else:
            self.stdout.write(f"已导入，批次 #{batch.pk}：{counts}")


class ProgressBar:
    """A one-line bar on a terminal: 核对稿件 [########------------] 4000/10000."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.shown = False

    def __call__(self, stage, done, total):
        filled = self.WIDTH * done // total if total else self.WIDTH
        self.stream.write(f"\r{stage} [{'#' * filled}{'-' * (self.WIDTH - filled)}] {done}/{total}")
        self.stream.flush()
        self.shown = True

    def close(self):
        if self.shown:
            self.stream.write("\n")
