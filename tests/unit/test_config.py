"""The configuration refuses what it does not understand, clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import DEFAULT_SIMULATOR_CONFIG, ConfigError, load_settings


def test_the_simulator_configuration_loads():
    settings = load_settings()
    assert settings.simulator.enabled
    assert len(settings.door_ids()) == 16
    assert settings.konnect.secret().get_secret_value() == "bh1-terminal-secret"


def test_an_unknown_key_gets_a_suggestion(tmp_path: Path):
    text = DEFAULT_SIMULATOR_CONFIG.read_text().replace("base_url", "base_ur1")
    path = tmp_path / "k.toml"
    path.write_text(text)
    with pytest.raises(
        ConfigError, match=r"konnect.base_ur1: unknown setting .*'base_url'"
    ):
        load_settings(path)


def test_bad_toml_and_missing_files_are_plain_errors(tmp_path: Path):
    path = tmp_path / "k.toml"
    path.write_text("[terminal\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(path)
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(tmp_path / "absent.toml")


def test_a_door_wired_twice_is_refused(tmp_path: Path):
    text = DEFAULT_SIMULATOR_CONFIG.read_text().replace('"C1"', '"A1"')
    path = tmp_path / "k.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match="wired twice"):
        load_settings(path)


def test_the_secret_can_live_in_a_file(tmp_path: Path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    text = DEFAULT_SIMULATOR_CONFIG.read_text().replace(
        'client_secret = "bh1-terminal-secret"', f'client_secret_file = "{secret}"'
    )
    path = tmp_path / "k.toml"
    path.write_text(text)
    assert load_settings(path).konnect.secret().get_secret_value() == "s3cret"


def test_the_environment_overrides_the_file(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KIOSK_KONNECT__BASE_URL", "http://127.0.0.1:9999")
    assert load_settings().konnect.base_url == "http://127.0.0.1:9999"


def test_the_production_example_is_a_valid_configuration():
    from kiosk.assemble import check_devices

    path = DEFAULT_SIMULATOR_CONFIG.parent / "production.example.toml"
    settings = load_settings(path)
    check_devices(settings)
    assert settings.konnect.client_secret_file is not None
    assert not settings.simulator.enabled


def test_a_file_that_is_not_text_is_a_plain_error(tmp_path: Path):
    path = tmp_path / "k.toml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError, match="is not UTF-8 text"):
        load_settings(path)


def test_two_boards_at_one_address_on_a_bus_are_refused(tmp_path: Path):
    text = DEFAULT_SIMULATOR_CONFIG.read_text().replace("address = 1", "address = 0")
    path = tmp_path / "k.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match="bus 'bus0' has board address 0 twice"):
        load_settings(path)


def test_a_bad_value_from_the_environment_is_blamed_on_it(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setenv("KIOSK_DOORS__POLL_SECONDS", "-1")
    with pytest.raises(
        ConfigError,
        match=r"doors.poll_seconds: .* \(set by the environment variable "
        r"KIOSK_DOORS__POLL_SECONDS\)",
    ):
        load_settings()


def test_the_simulator_starts_its_emulator_where_base_url_points(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setenv("KIOSK_KONNECT__BASE_URL", "https://konnect.example.com")
    with pytest.raises(
        ConfigError, match=r"problem\(s\):\n  to start the emulator, konnect.base_url"
    ):
        load_settings()
    monkeypatch.setenv("KIOSK_SIMULATOR__START_EMULATOR", "false")
    assert load_settings().konnect.base_url == "https://konnect.example.com"


def test_a_state_folder_that_cannot_be_made_is_said_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("KIOSK_TERMINAL__STATE_DIR", str(blocker / "state"))
    with pytest.raises(ConfigError, match=r"cannot make the state folder .*a-file"):
        load_settings().make_state_dir()
