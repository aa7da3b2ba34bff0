"""Security settings read from the environment, with their defaults (a process of its own, as
production starts: the test settings change some of them): login lockout, HSTS preload."""
from tests.amc.test_settings_and_formats import run_manage

KEY = "k" * 10 + "Zq8-Lm3!xT7@wB2#pR5$" * 3
SHOW = ("from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds() // 60), s.AXES_LOCKOUT_PARAMETERS, "
        "s.SECURE_HSTS_PRELOAD)")


def show(**env):
    result = run_manage("shell", "-c", SHOW, SECRET_KEY=KEY, ALLOWED_HOSTS="amc.example.pe",
                        DATABASE_URL="sqlite:////tmp/amc-settings.sqlite3", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]  # after shell's "N objects imported automatically"


def test_login_lockout_defaults_to_5_failures_and_15_minutes_per_user_and_address():
    assert show() == "5 15 [['username', 'ip_address']] False"


def test_login_lockout_limit_and_cool_off_come_from_the_environment():
    assert show(AXES_FAILURE_LIMIT="3", AXES_COOLOFF_MINUTES="60") == "3 60 [['username', 'ip_address']] False"


def test_hsts_preload_is_off_unless_the_environment_opts_in():
    assert show().endswith(" False")
    assert show(SECURE_HSTS_PRELOAD="1").endswith(" True")


def test_check_deploy_stays_clean_with_preload_and_says_when_preload_cannot_be_met():
    env = {"SECRET_KEY": KEY, "ALLOWED_HOSTS": "amc.example.pe", "DATABASE_URL": "sqlite:////tmp/amc-settings.sqlite3",
           "SECURE_HSTS_PRELOAD": "1"}
    result = run_manage("check", "--deploy", **env)
    assert result.returncode == 0 and "System check identified no issues (0 silenced)." in result.stdout, result.stderr
    result = run_manage("check", "--deploy", **env, SECURE_HSTS_SECONDS="3600")
    assert "amc.W001" in result.stderr + result.stdout
