"""The admin's table import: django-import-export's upload form and preview, the bulletin importer underneath.

django-import-export reads the uploaded CSV, XLSX or JSON and shows its
preview (new / changed / unchanged / errors per row); the rows themselves are
planned and written by ``newsroom.services.imports``, the same code as the
command line, so a table means the same wherever it comes in.
"""

from django.core.exceptions import ValidationError
from import_export import resources
from import_export.results import Result, RowResult

from .bulletin.tables import cell_text
from .models import Story
from .services.imports import Upload, import_bulletin

ROW_TYPES = {
    "new": RowResult.IMPORT_TYPE_NEW,
    "update": RowResult.IMPORT_TYPE_UPDATE,
    "join": RowResult.IMPORT_TYPE_UPDATE,
}
PREVIEW_HEADERS = ["行", "编号", "版次", "引题", "标题", "电头", "地区", "署名", "状态"]
FIELD_LABELS = {
    "reference": "编号",
    "issue": "期号",
    "issue_date": "出版日期",
    "page": "版次",
    "position": "顺序",
    "kind": "类型",
    "kicker": "引题",
    "headline": "标题",
    "subheadline": "副题",
    "bureau": "记者站",
    "dateline": "电头",
    "region": "地区",
    "event_date": "日期",
    "credits": "署名",
    "body": "正文",
    "state": "状态",
    "published_at": "发布时间",
    "file": "文件",
    "name": "姓名",
}


class BulletinTableResource(resources.ModelResource):
    """Stories, correspondents or bureaus from one table; the kind is told by its columns."""

    class Meta:
        model = Story
        fields = ()
        name = "稿件、通讯员或记者站表格"

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        headers = [cell_text(header) for header in dataset.headers or []]
        rows = [
            (number, dict(zip(headers, [cell_text(cell) for cell in row], strict=False)))
            for number, row in enumerate(dataset, start=2)
            if any(cell not in (None, "") for cell in row)
        ]
        name = kwargs.get("file_name") or "table.csv"
        plan, _ = import_bulletin([Upload(name=name, data=b"", rows=rows)], actor=kwargs.get("user"), dry_run=dry_run)
        return preview(plan)


def preview(plan):
    """The plan as django-import-export's result: one row per story, problems on the rows they belong to."""
    result = Result()
    result.diff_headers = list(PREVIEW_HEADERS)
    for planned in plan.planned:
        item = planned.item
        row = RowResult()
        row.import_type = ROW_TYPES.get(planned.action, RowResult.IMPORT_TYPE_SKIP)
        row.object_repr = item.headline
        row.diff = [
            item.line or "",
            item.reference,
            item.page or "",
            item.kicker,
            item.headline,
            item.bureau or item.dateline or "",
            item.region or (planned.values["region"].name if planned.values.get("region") else ""),
            "；".join(" ".join(filter(None, [credit.title, credit.name])) for credit in item.credits),
            Story.Status(planned.status).label if planned.status in Story.Status.values else planned.status,
        ]
        result.append_row_result(row)
        result.increment_row_result_total(row)
    by_line = {}
    for problem in plan.errors:
        by_line.setdefault((problem.source, problem.line or 1), []).append(problem)
    for (source, line), problems in by_line.items():
        errors = {}
        for problem in problems:
            label = FIELD_LABELS.get(problem.field, problem.field or "文件")
            errors.setdefault(label, []).append(f"{source}：{problem.message}" if source else problem.message)
        result.append_invalid_row(line, {"行": line}, ValidationError(errors))
    result.totals[RowResult.IMPORT_TYPE_INVALID] = len(by_line)
    result.total_rows = len(plan.planned)
    return result
