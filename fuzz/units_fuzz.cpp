// libFuzzer target: arbitrary text to the unit parsers and the distribution-name parser.
// They may only throw std::invalid_argument, and what they accept must be a finite,
// non-negative quantity (a percentage at most 100%, a lognormal CV in (0, 100]).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "model/distribution.hpp"
#include "model/units.hpp"

using namespace workersim;

namespace {

template <class Parse>
void check(Parse parse, double max) {
    try {
        const double value = parse();
        if (!std::isfinite(value) || value < 0 || value > max) std::abort();
    } catch (const std::invalid_argument&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const double huge = 1e300;
    check([&] { return parse_duration_s(text); }, huge);
    check([&] { return parse_size_kib(text); }, huge);
    check([&] { return parse_percent(text); }, 1.0);
    try {
        double cv = -1;
        const DistributionKind kind = parse_distribution_kind(text, cv);
        if (kind == DistributionKind::lognormal ? !(cv > 0 && cv <= 100) : cv != 0) std::abort();
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
