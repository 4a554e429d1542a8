"""Benchmarks (not tests): run each as ``python -m bench.<name>``; they print, never assert."""


def table_rows(measured) -> list[dict]:
    """``(what, "value unit", target, ok)`` lines, as the rows ``python -m bench`` prints."""
    rows = []
    for what, figure, target, _ok in measured:
        value, _, unit = figure.partition(" ")
        rows.append({"measure": what, "value": value, "unit": unit, "target": target})
    return rows
