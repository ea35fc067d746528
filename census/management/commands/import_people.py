"""python manage.py import_people FILE [--dry-run] [--json] [--user NAME] [--campaign YEAR]

The same validation and report as the import page; exit status 1 when the file is refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from census import services
from census.importer import validate_file
from census.models import Campaign
from core.errors import DomainError
from core.models import User


class Command(BaseCommand):
    help = "Validate and import a registry spreadsheet (.xlsx, .xls, .csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="validate and show the preview only")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--user", default="", help="act as this user (scope and audit log)")
        parser.add_argument("--campaign", type=int, default=None, help="attribute to the census of this year")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"没有用户 {options['user']}")
        campaign = None
        if options["campaign"]:
            campaign = Campaign.objects.filter(year=options["campaign"]).first()
            if campaign is None:
                raise CommandError(f"没有 {options['campaign']} 年的普查")
        committed = None
        if options["dry_run"]:
            validation = validate_file(path.read_bytes(), path.name, actor=actor, campaign=campaign)
        else:
            try:  # checked and written in one pass; nothing is written if any row is refused
                validation, committed = services.import_file(
                    actor=actor, data=path.read_bytes(), filename=path.name, campaign=campaign
                )
            except DomainError as exc:
                raise CommandError(exc.message) from exc
        report = validation.report()
        if committed is not None:
            report["committed"] = committed
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        else:
            self._print(report, committed, options["dry_run"], in_campaign=campaign is not None)
        if validation.refused:
            raise SystemExit(1)

    def _print(
        self, report: dict[str, Any], committed: dict[str, int] | None, dry_run: bool, *, in_campaign: bool
    ) -> None:
        for notice in report["notices"]:
            self.stdout.write(f"ⓘ {notice}")
        if report["refused"]:
            self.stdout.write(self.style.ERROR(f"发现 {report['error_count']} 处错误，未导入任何数据："))
            for e in report["errors"]:
                where = f"第 {e['row']} 行 [{e['column']}] {e['value']}" if e["row"] else "整个文件"
                self.stdout.write(f"  {where}：{e['problem']}。{e['hint']}")
            return
        c = report["counts"]
        changed = "有更改（提交审核）" if in_campaign else "更新"
        self.stdout.write(f"新增 {c['created']:,} 人，{changed} {c['updated']:,} 人，无变化 {c['unchanged']:,} 人")
        for d in report["diffs"]:
            for label, (before, after) in d["changes"].items():
                self.stdout.write(f"  第 {d['row']} 行 {d['name']} {label}：{before or '（空）'} → {after or '（空）'}")
        if dry_run:
            self.stdout.write("（试运行，未写入）")
        elif committed is not None:
            self.stdout.write(self.style.SUCCESS(services.describe_import(committed, in_campaign=in_campaign)))
