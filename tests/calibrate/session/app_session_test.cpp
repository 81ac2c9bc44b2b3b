// calibrate --app's session: what it reads back from Gunicorn's master (no Gunicorn here:
// tests/calibrate/session/calibrate_app.sh runs the real one).

#include <catch2/catch.hpp>

#include "calibrate/session/app_session.hpp"

using namespace workersim;

TEST_CASE("the runtime line gives the interpreter and the Gunicorn that served the app") {
    const auto r = parse_app_runtime("/srv/venv/bin/python3\t3.12.1\t22.0.0\n");
    REQUIRE(r);
    CHECK(r->python == "/srv/venv/bin/python3");
    CHECK(r->python_version == "3.12.1");
    CHECK(r->gunicorn_version == "22.0.0");
}

TEST_CASE("a runtime line without its three fields says nothing") {
    CHECK_FALSE(parse_app_runtime(""));
    CHECK_FALSE(parse_app_runtime("/usr/bin/python3\t3.11.2\n"));
    CHECK_FALSE(parse_app_runtime("\t\t\n"));
}
