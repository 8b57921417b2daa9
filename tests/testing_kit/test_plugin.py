"""The pytest plugin, run on small example projects with pytester: a restored emulator per test,
one emulator per session and set of options, the options' order (marker, command line, ini file),
seed data and the project's own preparation, the loopback server beside the in-process client,
refusals of unknown options, pytest-xdist workers, and the plugin turned off."""

from __future__ import annotations

import json

import pytest

# Each project runs in a pytest of its own (a subprocess: modules it imports first must not replace
# this process's), without the cache and two slow plugins of this environment that it does not use.
QUIET = ("-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:hypothesispytest")


def test_each_test_starts_from_the_snapshot_of_the_one_session_emulator(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        SEEN = []

        def test_writes(zcrm_api, zcrm_emulator):
            SEEN.append(zcrm_emulator)
            assert zcrm_api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "A"}]}).status_code == 201
            zcrm_emulator.advance_clock(600)

        def test_sees_nothing_of_it(zcrm_api, zcrm_emulator):
            SEEN.append(zcrm_emulator)
            assert zcrm_api.get("/crm/v8/Leads", params={"fields": "Last_Name"}).status_code == 204
            assert zcrm_emulator.clock.offset_ms == 0

        def test_one_emulator_served_both():
            assert len(SEEN) == 2 and SEEN[0] is SEEN[1]
        """
    )
    pytester.runpytest_subprocess(*QUIET).assert_outcomes(passed=3)


def test_options_come_from_the_marker_then_the_command_line_then_the_ini_file(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        """
        [pytest]
        zcrm_edition = professional
        zcrm_dc = eu
        """
    )
    pytester.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.zcrm(token_policy="legacy")

        def test_defaults_overridden(zcrm_emulator):
            settings = zcrm_emulator.settings
            assert (settings.edition, settings.dc, settings.token_policy) == ("professional", "in", "legacy")

        @pytest.mark.zcrm(edition="standard", token_policy="current")
        def test_the_closest_marker_wins(zcrm_emulator, zcrm_api):
            settings = zcrm_emulator.settings
            assert (settings.edition, settings.dc, settings.token_policy) == ("standard", "in", "current")
            org = zcrm_api.get("/crm/v8/org").json()["org"][0]
            assert org["license_details"]["paid_type"] == "standard"
        """
    )
    pytester.runpytest_subprocess(*QUIET, "--zcrm-dc", "in").assert_outcomes(passed=2)


def test_seed_data_and_the_projects_preparation_are_in_every_tests_start(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest

        PREPARED = []

        @pytest.fixture(scope="session")
        def zcrm_prepare():
            def prepare(zcrm):
                PREPARED.append(zcrm.options)
                with zcrm.client(token=zcrm.token()) as api:
                    api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Prepared"}]})
            return prepare
        """
    )
    pytester.makepyfile(
        """
        import pytest
        from conftest import PREPARED

        def count(api, module):
            answer = api.get(f"/crm/v8/{module}", params={"fields": "Last_Name"})
            return 0 if answer.status_code == 204 else answer.json()["info"]["count"]

        def test_from_the_command_line(zcrm_api):
            assert (count(zcrm_api, "Leads"), count(zcrm_api, "Contacts")) == (3 + 1, 2)
            zcrm_api.post("/crm/v8/Contacts", json={"data": [{"Last_Name": "Extra"}]})

        def test_again_the_same(zcrm_api):
            assert (count(zcrm_api, "Leads"), count(zcrm_api, "Contacts")) == (3 + 1, 2)

        @pytest.mark.zcrm(seed={"Contacts": 1})
        def test_a_marker_replaces_it(zcrm_api):
            assert (count(zcrm_api, "Leads"), count(zcrm_api, "Contacts")) == (1, 1)

        def test_prepared_once_per_emulator():
            assert [options.seed for options in PREPARED] == [(("Leads", 3), ("Contacts", 2)), (("Contacts", 1),)]
        """
    )
    result = pytester.runpytest_subprocess(*QUIET, "--zcrm-seed", "Leads=3", "--zcrm-seed", "Contacts=2")
    result.assert_outcomes(passed=4)


def test_the_loopback_server_serves_the_same_emulator(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import httpx

        def test_written_in_process_read_over_http(zcrm, zcrm_api, zcrm_server, zcrm_token):
            assert zcrm_server.url == zcrm.base_url
            zcrm_api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Shared"}]})
            headers = {"Authorization": f"Zoho-oauthtoken {zcrm_token()}"}
            read = httpx.get(f"{zcrm_server.url}/crm/v8/Leads", params={"fields": "Last_Name"}, headers=headers)
            assert [lead["Last_Name"] for lead in read.json()["data"]] == ["Shared"]

        def test_still_serving_after_the_restore(zcrm_server, zcrm_token):
            headers = {"Authorization": f"Zoho-oauthtoken {zcrm_token()}"}
            read = httpx.get(f"{zcrm_server.url}/crm/v8/Leads", params={"fields": "Last_Name"}, headers=headers)
            assert read.status_code == 204
        """
    )
    pytester.runpytest_subprocess(*QUIET).assert_outcomes(passed=2)


def test_unknown_options_are_refused_with_their_name(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.zcrm(editon="free")
        def test_misspelt(zcrm):
            pass

        @pytest.mark.zcrm(edition="gold")
        def test_unknown_edition(zcrm):
            pass

        @pytest.mark.zcrm(token_policy="lenient")
        def test_unknown_policy(zcrm):
            pass
        """
    )
    result = pytester.runpytest_subprocess(*QUIET)
    result.assert_outcomes(errors=3)
    result.stdout.fnmatch_lines(
        [
            "*takes edition, dc, token_policy, seed; not ?'editon'?",
            "*edition 'gold' is not one of free, standard, professional, enterprise, ultimate*",
            "*token policy 'lenient' is not one of current, legacy*",
        ]
    )
    assert "During handling" not in result.stdout.str()


def test_a_malformed_seed_option_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_any(zcrm):\n    pass\n")
    result = pytester.runpytest_subprocess(*QUIET, "--zcrm-seed", "Leads")
    result.stderr.fnmatch_lines(["*expected MODULE=COUNT, got 'Leads'*"])
    assert result.ret != 0


def test_each_xdist_worker_has_its_own_emulator(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import json, os
        import pytest

        @pytest.mark.parametrize("n", range(6))
        def test_write(zcrm, zcrm_api, n):
            assert zcrm_api.get("/crm/v8/Leads", params={"fields": "Last_Name"}).status_code == 204
            assert zcrm_api.post("/crm/v8/Leads", json={"data": [{"Last_Name": str(n)}]}).status_code == 201
            worker = os.environ["PYTEST_XDIST_WORKER"]
            with open(f"seen-{worker}-{n}.json", "w") as out:
                json.dump({"worker": worker, "url": zcrm.base_url, "db": zcrm.emulator.settings.db_url}, out)
        """
    )
    result = pytester.runpytest_subprocess(*QUIET, "-n", "2")
    result.assert_outcomes(passed=6)
    seen = [json.loads(path.read_text()) for path in pytester.path.glob("seen-*.json")]
    by_worker = {(one["worker"], one["url"], one["db"]) for one in seen}
    assert {worker for worker, _, _ in by_worker} == {"gw0", "gw1"}
    assert len(by_worker) == 2  # one emulator per worker, each with its own URL and database
    assert len({url for _, url, _ in by_worker}) == len({db for _, _, db in by_worker}) == 2


def test_the_plugin_can_be_turned_off(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_any(zcrm_api):\n    pass\n")
    result = pytester.runpytest_subprocess(*QUIET, "-p", "no:zcrm_emulator")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'zcrm_api' not found*"])
