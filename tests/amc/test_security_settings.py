"""Security settings read from the environment, with their defaults (a process of its own, as
production starts: the test settings change some of them)."""
from tests.amc.test_settings_and_formats import run_manage

KEY = "k" * 10 + "Zq8-Lm3!xT7@wB2#pR5$" * 3
SHOW = ("from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds() // 60), s.AXES_LOCKOUT_PARAMETERS)")


def show(**env):
    result = run_manage("shell", "-c", SHOW, SECRET_KEY=KEY, ALLOWED_HOSTS="amc.example.pe",
                        DATABASE_URL="sqlite:////tmp/amc-settings.sqlite3", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]  # after shell's "N objects imported automatically"


def test_login_lockout_defaults_to_5_failures_and_15_minutes_per_user_and_address():
    assert show() == "5 15 [['username', 'ip_address']]"


def test_login_lockout_limit_and_cool_off_come_from_the_environment():
    assert show(AXES_FAILURE_LIMIT="3", AXES_COOLOFF_MINUTES="60") == "3 60 [['username', 'ip_address']]"
