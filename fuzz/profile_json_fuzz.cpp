// libFuzzer target: arbitrary bytes as a calibration profile file. Reading one may only fail
// the ways the CLI reports (cli/what_if_options.cpp): nlohmann's parse_error for bad JSON,
// JsonError for a document that is not a valid profile. Anything else escaping is a finding
// (libFuzzer reports an uncaught exception as a crash), as is any sanitizer report. A profile
// that is accepted must survive a round trip through to_json unchanged.

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "model/json_reader.hpp"
#include "model/profile_json.hpp"

using namespace workersim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(data, data + size);
    } catch (const nlohmann::json::parse_error&) {
        return 0;
    } catch (const nlohmann::json::out_of_range& e) {
        // A number beyond double's range ("1e400") throws out_of_range 406 from parse, not
        // parse_error; the CLI reports it as bad JSON since c9c769b.
        if (e.id == 406) return 0;
        throw;
    }
    Profile profile;
    try {
        profile = profile_from_json(json, "fuzz.json");
    } catch (const JsonError&) {
        return 0;
    }
    const nlohmann::json written = to_json(profile);
    const Profile reread = profile_from_json(written, "round-trip.json");
    if (to_json(reread) != written) std::abort();
    return 0;
}
