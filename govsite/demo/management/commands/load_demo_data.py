from django.core.management.base import BaseCommand, CommandError

from govsite.demo.loader import DemoDataError, load_demo_data


class Command(BaseCommand):
    help = (
        "载入演示数据：各角色演示账号、网站设置、各子栏目的示例内容、一年的来信、满意度调查和信息报送"
        "（可重复运行，已有的不变）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="数据库中已有文章、简介页或演示账号时什么也不做。",
        )
        parser.add_argument(
            "--accounts-only",
            action="store_true",
            help="只建演示账号和网站标识，不载入栏目内容、来信、调查和信息报送。",
        )

    def handle(self, *args, **options):
        try:
            report = load_demo_data(
                if_empty=options["if_empty"], accounts_only=options["accounts_only"]
            )
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        if report.skipped:
            self.stdout.write(f"未载入演示数据：{report.skipped_reason}。")
            return
        created = report.users_created
        self.stdout.write(
            f"演示账号：新建 {len(created)} 个，已存在 {len(report.users_skipped)} 个。"
        )
        if created:
            self.stdout.write(f"  新建：{'、'.join(created)}")
        if report.settings_updated:
            self.stdout.write(f"网站设置：已填写 {'、'.join(report.settings_updated)}。")
        if options["accounts_only"]:
            self.stdout.write("只建了账号和网站标识（--accounts-only），未载入内容。")
            return
        self.stdout.write(
            f"栏目内容：新建 {len(report.pages_created)} 条，"
            f"已存在 {len(report.pages_skipped)} 条（未改动）。"
        )
        self.stdout.write(f"审查词库：新增 {report.lexicon_created} 条。")
        letters = report.letters
        if letters.created:
            states = "，".join(f"{label} {count}" for label, count in letters.by_status.items())
            self.stdout.write(f"沟通信箱：新建来信 {letters.created} 封（{states}）。")
            for number, code, status in letters.samples:
                self.stdout.write(f"  试查询：信件编号 {number}，查询码 {code}（{status}）")
        elif letters.skipped_reason:
            self.stdout.write(f"沟通信箱：未新建来信：{letters.skipped_reason}")
        else:
            self.stdout.write(f"沟通信箱：已有来信 {letters.existing} 封，未新建。")
        surveys = report.surveys
        self.stdout.write(
            f"满意度调查：新建 {len(surveys.created)} 个（答卷 {surveys.responses} 份），"
            f"已存在 {len(surveys.skipped)} 个（未改动）。"
        )
        # 专栏 of 热点专题 (govsite/topics)
        topics = report.topics
        self.stdout.write(
            f"专栏：新建 {len(topics.created)} 个，已存在 {len(topics.skipped)} 个（未改动）。"
        )
        reporting = report.reporting
        if reporting.data_created:
            self.stdout.write(f"信息报送设置：新建 {'、'.join(reporting.data_created)}。")
        if reporting.created:
            states = "，".join(f"{label} {count}" for label, count in reporting.by_status.items())
            self.stdout.write(
                f"信息报送：新建动态信息 {reporting.created} 条（{states}），"
                f"采用稿 {reporting.pages} 篇，采用记录 {reporting.outlet_adoptions} 条，"
                f"领导批示 {reporting.instructions} 条。"
            )
        elif reporting.skipped_reason:
            self.stdout.write(f"信息报送：未新建动态信息：{reporting.skipped_reason}。")
        else:
            self.stdout.write(f"信息报送：已有动态信息 {reporting.existing} 条，未新建。")
        self.stdout.write(f"栏目复核记录：新建 {reporting.reviews} 条。")
