from __future__ import annotations

from pathlib import Path

import pytest

from delivery.settings import SETTINGS, load_settings, settings_table

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_table_of_settings_matches_the_declarations():
    assert settings_table() in README.read_text(encoding="utf-8"), (
        "README's settings table is out of date: paste `python -c 'from delivery.settings "
        "import settings_table; print(settings_table())'` into it"
    )


def test_every_setting_has_a_help_line_and_a_prefixed_variable():
    for setting in SETTINGS:
        assert setting.help.strip() and setting.env.startswith("DELIVERY_")


def test_environment_values_are_parsed_and_overrides_win():
    settings = load_settings({"port": 9000}, environ={"DELIVERY_PORT": "8100",
                                                      "DELIVERY_DEBUG": "yes"})
    assert settings.port == 9000 and settings.debug is True


def test_an_unparseable_value_names_the_variable():
    with pytest.raises(ValueError, match="DELIVERY_FISCAL_YEAR_END_MONTH"):
        load_settings(environ={"DELIVERY_FISCAL_YEAR_END_MONTH": "13"})


def test_the_database_defaults_to_a_sqlite_file_in_the_data_folder(tmp_path):
    settings = load_settings({"data_dir": str(tmp_path)}, environ={})
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'delivery.sqlite'}"


def test_a_secret_key_is_generated_once_and_kept(tmp_path):
    settings = load_settings({"data_dir": str(tmp_path)}, environ={})
    key = settings.resolved_secret_key()
    assert len(key) == 64 and settings.resolved_secret_key() == key
