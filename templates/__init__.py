"""The Word template of the report, shipped inside the package as `gmreport.templates`.

Do not edit 年度執行成果報告.docx here: it is made by tools/make_report_template.py. To
change the wording or styles, edit a copy in Word and set `report_template` in gmreport.toml.
"""
