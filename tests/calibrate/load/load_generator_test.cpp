#include <catch2/catch.hpp>

#include "calibrate/load/hey.hpp"
#include "calibrate/load/httperf.hpp"
#include "calibrate/load/load_generator.hpp"

using namespace workersim;

TEST_CASE("the run's load_generator field chooses the tool that drives it") {
    CHECK(dynamic_cast<Hey*>(make_load_generator(LoadGeneratorKind::hey).get()) != nullptr);
    CHECK(dynamic_cast<Httperf*>(make_load_generator(LoadGeneratorKind::httperf).get()) != nullptr);
}
