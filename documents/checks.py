"""System checks: the server can print Chinese documents with the vendored fonts."""

from __future__ import annotations

import ctypes.util

from django.core import checks


@checks.register(checks.Tags.compatibility)
def printing(app_configs, **kwargs):
    from documents import fonts

    problems = []
    try:
        import weasyprint  # noqa: F401 - loading it loads Pango
    except OSError as exc:
        problems.append(
            checks.Error(
                f"PDF 排版组件 WeasyPrint 无法加载 Pango（{exc}），不能制作文书。",
                hint="apt-get install libpango-1.0-0 libpangoft2-1.0-0",
                id="documents.E001",
            )
        )
    for problem in fonts.problems():
        problems.append(
            checks.Warning(
                f"{problem}制作文书时将拒绝打印 PDF，以免打出空白方框。",
                hint="从代码仓库恢复 documents/fonts/ 下的文件，或运行 make fonts 重新生成。",
                id="documents.W001",
            )
        )
    if ctypes.util.find_library("harfbuzz-subset") is None:
        problems.append(
            checks.Warning(
                "未安装 libharfbuzz-subset：文书仍可制作，但每份 PDF 的字体由 fontTools "
                "裁剪，慢约 3 秒，且与装有该库的服务器所出 PDF 字节不同。",
                hint="apt-get install libharfbuzz-subset0",
                id="documents.W002",
            )
        )
    return problems
