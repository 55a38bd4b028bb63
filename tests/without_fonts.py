"""A pytest plugin: run the suite as on a machine where matplotlib finds no font at all
(`pytest -p tests.without_fonts`; CI runs it once so, with LibreOffice off the PATH too).

matplotlib scans the system's font folders itself, so removing a font package is not
enough to prove the path without fonts: its font list is emptied here, and the scan
gmreport makes once more before giving up (`charts.rebuild_font_list`) finds nothing."""

from matplotlib import font_manager

font_manager.fontManager.ttflist = []
font_manager._load_fontmanager = lambda try_read_cache=True: font_manager.fontManager  # type: ignore[attr-defined]
