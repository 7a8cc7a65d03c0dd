"""The two real files (see ../shared/realdata/README.md) as monthly series keyed by the goal
codes their import mappings give (``SINESP/<UF>/<Tipo Crime>``, ``ISP-RJ/<column>``), with the
direction each goal would have and a plan to test bunching against. Used by the measurement of
the checks (``measure``) and its tests; no database.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from delivery.quality.series import regular
from delivery.vocabulary import Direction

SINESP_FILE = "br_sinesp_uf_monthly_crimes_2015_2022.csv"
ISP_FILE = "rj_isp_state_monthly_crimes_1991_2021.csv"
MONTHS = ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
          "setembro", "outubro", "novembro", "dezembro"]
# Police activity counts, where more is better (as data/mappings/isp_rj_monthly.yaml says).
ISP_UP = {"apreensao_drogas", "posse_drogas", "trafico_drogas", "apreensao_drogas_sem_autor",
          "recuperacao_veiculos", "apf", "aaapai", "cmp", "cmba"}


def load_sinesp(folder: Path) -> dict[str, pd.Series]:
    """The SINESP file as 243 monthly series (absent months stay absent)."""
    frame = pd.read_csv(Path(folder) / SINESP_FILE, dtype={"Ocorrências": float})
    month = frame["Mês"].map({name: i + 1 for i, name in enumerate(MONTHS)})
    frame["period_end"] = pd.to_datetime(
        {"year": frame["Ano"], "month": month, "day": 1}) + pd.offsets.MonthEnd(0)
    return {
        f"SINESP/{uf}/{kind}": group.set_index("period_end")["Ocorrências"].sort_index()
        for (uf, kind), group in frame.groupby(["UF", "Tipo Crime"], sort=True)
    }


def load_isp(folder: Path) -> dict[str, pd.Series]:
    """The ISP-RJ file as 53 monthly series, each from its first reported month."""
    frame = pd.read_csv(Path(folder) / ISP_FILE, sep=";", na_values=[" "])
    period_end = pd.to_datetime(
        {"year": frame["ano"], "month": frame["mes"], "day": 1}) + pd.offsets.MonthEnd(0)
    return {
        f"ISP-RJ/{column}": pd.Series(frame[column].to_numpy(float), index=period_end).dropna()
        for column in frame.columns if column not in ("ano", "mes", "fase")
    }


def load_real_series(folder: Path) -> dict[str, pd.Series]:
    return {**load_sinesp(folder), **load_isp(folder)}


def direction_of(code: str) -> Direction:
    return Direction.UP if code.removeprefix("ISP-RJ/") in ISP_UP else Direction.DOWN


def bench_plan(values: pd.Series) -> pd.Series:
    """A plan to test bunching against: a straight line from the median of the first year to
    the median of the last, so the figures fall on both sides of it as real ones would."""
    x = regular(values)
    start, end = np.nanmedian(x.iloc[:12]), np.nanmedian(x.iloc[-12:])
    return pd.Series(np.linspace(start, end, len(x)), index=x.index)
