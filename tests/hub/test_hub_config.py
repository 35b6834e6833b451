"""The hub's configuration as files and data: no root, no servers (these run everywhere)."""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from ruamel.yaml import YAML
from traitlets.config import Config

from crmtrain import cli, lab
from crmtrain.errors import UserError
from crmtrain.grading.plumbing.config import config_text, existing_db_url, write_config
from crmtrain.grading.plumbing.course import Course
from crmtrain.hub import backup, hubconfig, install, status
from crmtrain.hub.setup import hub_config_text, unit_text
from crmtrain.hub.site import Site, Users, check_login

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy" / "kubernetes"


def make_site(tmp_path: Path, **kw) -> Site:
    site = Site(tmp_path / "site", "anna", tmp_path / "home" / "anna" / "course", "sample:en", prefix=tmp_path / "opt",
                **kw)
    site.save()
    site.state_dir.mkdir()
    site.token_path.write_text("t0ken\n", encoding="utf-8")
    return site


def test_the_settings_round_trip_and_are_deterministic(tmp_path):
    site = make_site(tmp_path, port=8123, db_url="postgresql://grader@/gb?host=/run/pg", python_path=("/x/src",))
    first = site.settings_path.read_bytes()
    loaded = Site.load(site.root)
    assert loaded == site
    loaded.save()
    assert site.settings_path.read_bytes() == first
    assert loaded.course_dir == tmp_path / "home" / "anna" / "course" / "assignments"


@pytest.mark.parametrize("content, message", [
    (None, "is not a crmtrain hub: hub.json is missing (run `crmtrain hub config` first)"),
    ("{", "cannot read the hub's settings"),
    ('{"specialist": "a", "course_home": "/c", "regulation": "r", "colour": 1}', "unknown settings: colour"),
    ('{"specialist": "a", "regulation": "r"}', "incomplete settings"),
])
def test_a_broken_site_says_what_is_wrong(tmp_path, content, message):
    if content is not None:
        (tmp_path / "hub.json").write_text(content, encoding="utf-8")
    with pytest.raises(UserError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Site.load(tmp_path)


@pytest.mark.parametrize("name", ["Anna", "1anna", "anna smith", "anna+1", "a" * 33, ""])
def test_roster_ids_that_cannot_be_logins_are_refused(name):
    with pytest.raises(UserError, match="cannot be a login name on the server: use lower-case letters"):
        check_login(name, "id")


@pytest.mark.parametrize("lang, message", [
    ("en", "id 'анна': Latin letters only; a login on the server is lower-case Latin letters, digits, '-' and '_', "
           "starting with a letter (at most 32), like a_ivanova"),
    ("ru", "id 'анна': только латинские буквы; логин на сервере — строчные латинские буквы, цифры, '-' и '_', "
           "начиная с буквы (не длиннее 32), например a_ivanova"),
])
def test_a_cyrillic_roster_id_is_said_to_need_latin_letters(lang, message):
    from crmtrain.i18n import speaking

    with speaking(lang), pytest.raises(UserError) as err:
        check_login("анна", "id")
    assert str(err.value) == message


def test_a_roster_with_bad_logins_changes_no_account(tmp_path):
    site = make_site(tmp_path)
    staff = tmp_path / "staff.csv"
    staff.write_text("id,name,email\nAnna.S,Anna,a@example.com\nanna,Spec,s@example.com\nbob,Bob,b@example.com\n",
                     encoding="utf-8")
    with pytest.raises(UserError) as err:
        from crmtrain.hub.users import sync

        sync(site, staff)
    assert str(err.value) == "staff.csv: 2 problem(s); no account was changed"
    assert err.value.lines == ("staff.csv: id 'Anna.S' cannot be a login name on the server: use lower-case letters, "
                               "digits, '-' and '_', starting with a letter (at most 32)",
                               "staff.csv: 'anna' is the specialist, not a trainee")
    assert not site.users_path.exists()


def test_jupyterhub_config_file_only_points_at_the_settings(tmp_path):
    site = make_site(tmp_path)
    text = hub_config_text(site)
    assert text == hub_config_text(site) and "sys.path" not in text
    compile(text, "jupyterhub_config.py", "exec")
    assert f"configure(c, {str(site.settings_path)!r})" in text
    assert f"ExecStart={site.prefix}/bin/jupyterhub -f {site.config_path}" in unit_text(site)


def test_jupyterhub_gets_pam_roles_persistence_and_the_local_spawner(tmp_path):
    site = make_site(tmp_path, port=8123, hub_port=8124, proxy_api_port=8125)
    c = Config()
    hubconfig.configure(c, str(site.settings_path))
    assert c.JupyterHub.bind_url == "http://127.0.0.1:8123" and c.JupyterHub.hub_port == 8124
    assert c.JupyterHub.cleanup_servers is False and c.JupyterHub.cleanup_proxy is False
    assert c.ConfigurableHTTPProxy.auth_token == (site.state_dir / "proxy-token").read_text().strip()
    assert c.Spawner.cmd == [str(site.prefix / "bin" / "python"), "-m", "crmtrain.hub.hubconfig", "jupyterhub-singleuser"]
    assert c.JupyterHub.services[0] == {"name": "crmtrain", "api_token": "t0ken"}
    culler = c.JupyterHub.services[1]
    assert culler["user"] == "nobody" and culler["command"][1:4] == ["-m", "jupyterhub_idle_culler", "--timeout=3600"]
    from jupyterhub.spawner import LocalProcessSpawner

    assert issubclass(c.JupyterHub.spawner_class, LocalProcessSpawner) and c.Spawner.mem_limit == 1 << 30
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert roles["crmtrain-specialist"]["users"] == ["anna"]
    assert not any(s.startswith(("access:", "admin:users")) for s in roles["crmtrain-specialist"]["scopes"])
    assert roles["crmtrain-idle-culler"]["services"] == ["idle-culler"]
    assert not any(s.startswith(("access:", "admin:")) for s in roles["crmtrain-idle-culler"]["scopes"])
    from jupyterhub.auth import PAMAuthenticator

    auth_class = c.JupyterHub.authenticator_class
    assert issubclass(auth_class, PAMAuthenticator)
    Users(("bob",), ("carl",), ()).save(site.users_path)
    auth = auth_class()
    assert [auth.check_allowed(n) for n in ("anna", "bob", "carl", "dave")] == [True, True, False, False]


def test_without_systemd_the_hub_runs_the_daily_reminders_as_the_specialist(tmp_path):
    site = make_site(tmp_path, smtp="mail.example.com:587", mail_from="Training <t@example.com>", smtp_user="t",
                     python_path=("/x/src",), remind_at="07:30")
    site.smtp_password_path.write_text("s3cret\n")
    c = Config()
    hubconfig.configure(c, str(site.settings_path))
    service = c.JupyterHub.services[2]
    assert service["name"] == "crmtrain-remind" and service["user"] == "anna"
    assert service["command"] == [str(site.prefix / "bin" / "python"), "-m", "crmtrain", "remind", "--course",
                                  str(site.course_dir), "--smtp", "mail.example.com:587", "--from",
                                  "Training <t@example.com>", "--smtp-user", "t", "--daily", "07:30"]
    assert service["environment"] == {"PYTHONPATH": "/x/src", "CRMTRAIN_SMTP_PASSWORD": "s3cret"}
    assert not any("s3cret" in part for part in service["command"])


def test_with_systemd_a_timer_runs_them_and_the_hub_does_not(tmp_path):
    from crmtrain.hub.setup import remind_units

    site = make_site(tmp_path, reminders_by="systemd", mail_from="t@example.com")
    c = Config()
    hubconfig.configure(c, str(site.settings_path))
    assert [s["name"] for s in c.JupyterHub.services] == ["crmtrain", "idle-culler"]
    service, timer = remind_units(site, "Europe/Moscow").values()
    assert "OnCalendar=*-*-* 08:00:00 Europe/Moscow\nPersistent=true" in timer
    assert "Type=oneshot\nUser=anna\n" in service and "--from t@example.com" in service and "--daily" not in service
    assert "LoadCredential" not in service
    # After the letters, as root: the review workbooks whose day has come, into the homes.
    assert f"ExecStartPost=+{site.prefix}/bin/python -m crmtrain hub users reviews --site {site.root}\n" in service
    site.smtp_password_path.write_text("s3cret\n")
    service = remind_units(site, "UTC")["crmtrain-remind.service"]
    assert f"LoadCredential=smtp-password:{site.smtp_password_path}" in service and "s3cret" not in service


@pytest.mark.parametrize("flag, value, message", [
    ("--remind-at", "8am", "'8am' is not a time of day like 08:00"),
    ("--smtp", "mail:smtp", "the SMTP server is written HOST:PORT"),
    ("--mail-from", "training", "--mail-from: 'training' is not an email address"),
])
def test_hub_config_says_which_mail_setting_is_wrong(tmp_path, capsys, flag, value, message):
    assert cli.main(["hub", "config", "sample:en", "--allow-sample", "--specialist", "anna", "--site",
                     str(tmp_path / "site"), flag, value]) == 2
    assert message in capsys.readouterr().err


def test_each_role_gets_its_own_jupyter_settings(tmp_path):
    site = make_site(tmp_path, python_path=("/x/src",))
    trainee, specialist = (hubconfig.server_environment(site, n) for n in ("bob", "anna"))
    assert trainee["JUPYTER_CONFIG_PATH"] == str(site.jupyter_dir("trainee") / "config")
    assert specialist["JUPYTER_CONFIG_PATH"] == str(site.jupyter_dir("specialist") / "config")
    assert trainee["PYTHONPATH"] == "/x/src" and trainee["PATH"].startswith(str(site.prefix / "bin"))
    assert trainee["MALLOC_ARENA_MAX"] == specialist["MALLOC_ARENA_MAX"] == "2"  # as crmtrain lab's (labmemory)
    spawner = SimpleNamespace(user=SimpleNamespace(name="anna"), environment={}, log=None)
    hubconfig.prepare_server(site, spawner)
    assert spawner.environment == specialist


def test_only_the_specialist_gets_formgrader(tmp_path):
    config, _ = lab.prepare(tmp_path / "t", python="/opt/py")
    page = json.loads((config / "labconfig" / "page_config.json").read_text())["disabledExtensions"]
    assert page["@jupyter/nbgrader:formgrader"] and page["@jupyter/nbgrader:create-assignment"]
    config, data = lab.prepare(tmp_path / "s", python="/opt/py", instructor=True)
    page = json.loads((config / "labconfig" / "page_config.json").read_text())["disabledExtensions"]
    assert list(page) == ["@jupyter/nbgrader:course-list"]
    assert json.loads((data / "kernels" / "python3" / "kernel.json").read_text())["argv"][0] == "/opt/py"
    trainee, instructor = lab.server_config(), lab.server_config(instructor=True)
    assert trainee["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] is False
    assert "nbgrader.server_extensions.formgrader" not in instructor["ServerApp"]["jpserver_extensions"]
    # Kernels of closed browsers are shut down on the hub too (labextension gives back hidden tabs').
    assert trainee["MappingKernelManager"] == instructor["MappingKernelManager"] == lab.KERNEL_CULLING


def test_the_gradebook_address_is_kept_in_the_course_and_by_a_rebuild(tmp_path):
    url = "postgresql://grader@/crmtrain?host=/run/pg&port=5433"
    write_config(tmp_path, "crm", tmp_path / "x")
    assert Course.load(tmp_path).db_url == f"sqlite:///{tmp_path / 'gradebook.db'}"
    (tmp_path / "nbgrader_config.py").write_text(config_text("crm", tmp_path / "x", db_url=url), encoding="utf-8")
    course = Course.load(tmp_path)
    assert course.db_url == course.writer_db_url == url and existing_db_url(tmp_path) == url
    assert cli.main(["build", "sample:en", "--out", str(tmp_path / "b"), "--db-url", url]) == 0
    assert cli.main(["build", "sample:en", "--out", str(tmp_path / "b")]) == 0
    assert Course.load(tmp_path / "b" / "assignments").db_url == url


@pytest.mark.parametrize("url", ["mysql://x/y", "gradebook.db", "postgres//x"])
def test_a_gradebook_address_must_be_sqlite_or_postgresql(url):
    with pytest.raises(UserError, match="must start with sqlite:/// or postgresql://"):
        config_text("crm", "/x", db_url=url)


def test_status_knows_answers_saved_after_the_last_submission(tmp_path):
    site = make_site(tmp_path)
    inbound = site.exchange / site.course_id / "inbound"
    inbound.mkdir(parents=True)
    for name in ("ann+initial+2026-12-01 10:00:00.000000 UTC+abc", "ann+initial+2026-12-01 11:00:00.5 UTC+def",
                 "bob+followup+2026-12-02 09:00:00.000000 UTC", "bob+initial+2099-12-31 00:00:00.000000 UTC+x"):
        (inbound / name).mkdir()
        (inbound / name / "timestamp.txt").write_text(name.split("+")[2])
    (inbound / "ann+initial+2026-12-01 12:00:00.000000 UTC+half").mkdir()  # a submit still copying
    (inbound / "junk").mkdir()
    found = status.latest_submissions(site)
    assert found == {("ann", "initial"): dt.datetime(2026, 12, 1, 11, 0, 0, 500000),
                     ("bob", "followup"): dt.datetime(2026, 12, 2, 9)}
    at = dt.datetime(2026, 12, 1, 11)
    assert status.Work("initial", at + dt.timedelta(minutes=5), at).unsubmitted
    assert status.Work("initial", at, None).unsubmitted
    assert not status.Work("initial", at - dt.timedelta(minutes=5), at).unsubmitted
    assert not status.Work("initial", None, None).unsubmitted


@pytest.mark.parametrize("member", ["/etc/passwd", "course/../../etc/passwd", "homes/ann/.ssh/authorized_keys",
                                    "homes/ann", "state/proxy-token", "manifest.json"])
def test_restore_writes_only_where_a_backup_belongs(tmp_path, member):
    assert backup._destination(make_site(tmp_path), member) is None


def test_postgresql_addresses_lose_the_driver_for_its_own_tools():
    assert backup.libpq_url("postgresql+psycopg2://g@/db?host=/s") == "postgresql://g@/db?host=/s"


def test_an_install_is_redone_when_the_dependencies_change(tmp_path):
    prefix, source = tmp_path / "opt", tmp_path / "src"
    source.mkdir()
    (source / "pyproject.toml").write_text('dependencies = ["a"]\n', encoding="utf-8")
    for path in (install.paths(prefix).python, install.paths(prefix).jupyterhub, install.paths(prefix).proxy):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")
    assert not install.up_to_date(prefix, source)
    (prefix / install.STAMP).write_text(install.stamp(source), encoding="utf-8")
    assert install.up_to_date(prefix, source)
    (source / "pyproject.toml").write_text('dependencies = ["a", "b"]\n', encoding="utf-8")
    assert not install.up_to_date(prefix, source)


def test_the_install_lists_what_is_missing(tmp_path):
    assert install.missing(tmp_path) == ["Python environment", "JupyterHub", "configurable-http-proxy"]
    assert "jupyterhub>=5" in install.PYTHON_PACKAGES and any(p.startswith("configurable-http-proxy")
                                                              for p in install.NPM_PACKAGES)


# --- Zero to JupyterHub -------------------------------------------------------------------------

def test_the_helm_values_configure_image_exchange_gradebook_and_formgrader():
    values = YAML(typ="safe").load((DEPLOY / "values.yaml").read_text(encoding="utf-8"))
    single = values["singleuser"]
    assert single["image"]["name"].endswith("crmtrain-singleuser") and single["defaultUrl"] == "/lab"
    assert single["cmd"] == ["python", "-m", "crmtrain.hub.hubconfig", hubconfig.SINGLEUSER]
    [exchange] = single["storage"]["extraVolumes"]
    [mount] = single["storage"]["extraVolumeMounts"]
    assert mount == {"name": exchange["name"], "mountPath": "/srv/nbgrader/exchange"}
    claims = {d["metadata"]["name"]: d for d in YAML(typ="safe").load_all((DEPLOY / "exchange-pvc.yaml").read_text())}
    assert claims[exchange["persistentVolumeClaim"]["claimName"]]["spec"]["accessModes"] == ["ReadWriteMany"]
    extra_config = values["hub"]["extraConfig"]["crmtrain"]
    compile(extra_config, "extraConfig", "exec")
    assert "crmtrain-course" in extra_config and "crmtrain-course" in claims
    files = single["extraFiles"]
    for key, spec in files.items():
        assert set(spec) in ({"mountPath", "stringData"}, {"mountPath", "data"}), key
        if spec["mountPath"].endswith(".py"):
            tree = ast.parse(spec["stringData"])
            plugins = [n.value.value for n in ast.walk(tree) if isinstance(n, ast.Assign)
                       and isinstance(n.value, ast.Constant) and str(n.value.value).startswith("crmtrain.")]
            from crmtrain.grading import plugins as module

            assert all(hasattr(module, p.rsplit(".", 1)[1]) for p in plugins), plugins
    assert files["trainee-server"]["data"] == lab.server_config()
    assert files["specialist-server"]["data"] == lab.server_config(instructor=True)
    assert files["trainee-lab"]["data"]["disabledExtensions"] == {p: True for p in lab.DISABLED_PLUGINS}
    assert single["extraEnv"]["PGPASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == "crmtrain-gradebook"
    assert single["extraEnv"]["MALLOC_ARENA_MAX"] == lab.MEMORY_ENVIRONMENT["MALLOC_ARENA_MAX"]
    assert values["hub"]["config"]["JupyterHub"]["authenticator_class"] == "azuread"
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert 'pip install --no-cache-dir /tmp/crmtrain "psycopg[binary]"' in dockerfile


def test_a_rebuild_updates_the_workbooks_in_a_home_and_keeps_the_progress(tmp_path):
    from crmtrain.hub import workbooks

    build, home = tmp_path / "build", tmp_path / "home"
    build.mkdir()
    home.mkdir()
    (build / "01-summary.ipynb").write_text("v1", encoding="utf-8")
    (build / "specialist-dashboard.ipynb").write_text("for the specialist", encoding="utf-8")
    assert workbooks.install(build, home) == ["01-summary.ipynb"]
    progress = home / "workbooks" / ".01-summary.progress.json"
    progress.write_text('{"questions": {"q1": {"correct": true}}}', encoding="utf-8")
    assert workbooks.install(build, home) == []  # nothing new: nothing written
    (build / "01-summary.ipynb").write_text("v2", encoding="utf-8")
    (build / "01-summary.ipynb").rename(build / "02-next.ipynb")
    (build / "01-summary.ipynb").write_text("v2", encoding="utf-8")
    assert workbooks.install(build, home) == ["01-summary.ipynb", "02-next.ipynb"]
    assert (home / "workbooks" / "01-summary.ipynb").read_text() == "v2"
    assert progress.read_text() == '{"questions": {"q1": {"correct": true}}}'
    assert not (home / "workbooks" / "specialist-dashboard.ipynb").exists()
    assert oct((home / "workbooks").stat().st_mode & 0o777) == "0o700"


@pytest.mark.parametrize("regulation", [["sample:en"], ["sample:ru"], ["sample:freight"]])
def test_hub_config_refuses_a_built_in_sample_unless_told_its_key_is_public(tmp_path, capsys, regulation):
    code = cli.main(["hub", "config", *regulation, "--specialist", "anna", "--site", str(tmp_path / "site")])
    err = capsys.readouterr().err
    assert code == 2 and not (tmp_path / "site").exists()
    assert "is crmtrain's built-in sample: its answer key is public, any trainee can run `crmtrain build`" in err
    assert "pass --allow-sample to try the hub out" in err


@pytest.mark.parametrize("flag, value, message", [
    ("--memory-limit", "lots", "--memory-limit 'lots': give a size such as 512M or 2G"),
    ("--file-size-limit", "0M", "--file-size-limit '0M': give a size such as 512M or 2G"),
    ("--max-processes", "8", "--max-processes must be at least 32"),
    ("--idle-timeout", "5", "--idle-timeout at least 60 seconds"),
])
def test_hub_config_says_which_limit_is_wrong(tmp_path, capsys, flag, value, message):
    argv = ["hub", "config", "sample:en", "--allow-sample", "--specialist", "anna", "--site", str(tmp_path), flag, value]
    assert cli.main(argv) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("text, size", [("512M", 512 << 20), ("1G", 1 << 30), ("1.5GiB", 3 << 29), ("4096", 4096),
                                        ("100mb", 100 << 20), (2048, 2048)])
def test_sizes_are_read_as_people_write_them(text, size):
    from crmtrain.hub.limits import parse_size

    assert parse_size(text) == size


def test_site_files_are_for_root_alone(tmp_path):
    site = make_site(tmp_path)
    Users(("bob",), (), ()).save(site.users_path)
    for path in (site.settings_path, site.users_path):
        assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in site.root.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_status_shows_the_limits_and_warns_about_a_sample(tmp_path):
    site = make_site(tmp_path, memory_limit="768M", max_processes=100, idle_timeout=1800)
    st = status.Status(False, (status.Person("bob", "trainee", "unknown", "", (), "200 MiB, 31 tasks"),),
                       ("memory: 768 MiB per trainee (server, kernels, terminals together; cgroup v1 memory)",))
    text = status.render(site, st)
    assert "WARNING: the regulation is the built-in sample:en: its answer key is public" in text
    assert "Limits per trainee:\n  memory: 768 MiB per trainee" in text
    assert "200 MiB, 31 tasks" in text.splitlines()[-1]
    from crmtrain.hub import limits

    lines = limits.describe(limits.Limits.of(site))
    assert lines[1].startswith("processes: 100 per trainee") and lines[3].endswith("after 30 min (jupyterhub-idle-culler)")
