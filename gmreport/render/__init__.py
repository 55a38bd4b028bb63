"""The render stage: figures → Word report, workbooks and JSON."""
