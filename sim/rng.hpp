#pragma once
// The simulator's random numbers: xoshiro256** seeded through splitmix64. Small, fast and
// reproducible on every platform (std:: distributions are not: their algorithms differ
// between standard libraries). Every stream is derived from the run's seed and a purpose,
// so adding a draw to one stream never shifts another (common random numbers).

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace workersim {

// 2^64 / the golden ratio: splitmix64's increment (Steele, Lea and Flood 2014).
constexpr std::uint64_t kGoldenGamma = 0x9E3779B97F4A7C15ULL;

// splitmix64's output for the state x: mixes x + gamma into 64 well-spread bits. Seeds
// xoshiro (below) and derives the replications' seeds (analysis/replications.hpp).
constexpr std::uint64_t splitmix64(std::uint64_t x) {
    std::uint64_t z = x + kGoldenGamma;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

class Rng {
public:
    explicit Rng(std::uint64_t seed, std::uint64_t stream = 0) {
        std::uint64_t x = seed ^ (kGoldenGamma * (stream + 1));
        for (auto& word : state_) {
            word = splitmix64(x);
            x += kGoldenGamma;
        }
    }

    std::uint64_t next() {
        const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
        const std::uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }

    // Uniform on [0, 1), 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // Uniform on (0, 1]: safe under log().
    double uniform_open_zero() { return (static_cast<double>(next() >> 11) + 1.0) * 0x1.0p-53; }
    // Exponential by the ziggurat (Marsaglia & Tsang 2000, "The ziggurat method for
    // generating random variables", J. Stat. Softw. 5(8)), 256 layers, with 64-bit draws: the
    // low 8 bits pick the layer, the top 53 the abscissa (disjoint bits, unlike the paper's
    // 32-bit version). About 99% of draws are one multiply and one compare; the rest, the
    // wedges and the tail beyond r, fall back to exp() or log(). Exact in distribution, and
    // several times faster than -log(U), which was the hottest call of an open-loop run.
    double exponential(double mean) { return mean * standard_exponential(); }
    double standard_exponential() {
        const ZigguratTables& z = ziggurat();
        const std::uint64_t u = next();
        const std::size_t i = u & 0xFF;
        const std::uint64_t j = u >> 11;
        if (j < z.k[i]) return static_cast<double>(j) * z.w[i];  // inside the layer's core
        return exponential_outside_core(u);
    }
    // Standard normal by the ziggurat too (same paper, 256 layers of exp(-x^2/2)), one 64-bit
    // draw per value: the low 8 bits pick the layer, bit 8 the sign, the top 53 the abscissa.
    // About 99% of draws are one multiply and one compare; the wedges fall back to exp(), the
    // tail beyond r to Marsaglia's (1964) two logarithms. It replaced Box-Muller (a log, a
    // sqrt and a cos per value, one of the pair kept), whose libm calls were 12% of a
    // calibrated run's time: every lognormal phase draws one (perf, issue 15).
    double normal() {
        const ZigguratTables& z = normal_ziggurat();
        const std::uint64_t u = next();
        const std::size_t i = u & 0xFF;
        const double sign = (u & 0x100) ? -1.0 : 1.0;
        const std::uint64_t j = u >> 11;
        const double x = static_cast<double>(j) * z.w[i];
        if (j < z.k[i]) return sign * x;  // inside the layer's core
        return normal_outside_core(u);
    }
    // Uniform integer on [0, n).
    std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : next() % n; }

private:
    // The ziggurats' rare cases (about 1% of draws), out of line: the event loop, which inlines
    // every draw, stays small. Each goes on with the draw u that missed its layer's core, and
    // draws again as the loop it continues did.
    [[gnu::noinline]] double exponential_outside_core(std::uint64_t u) {
        const ZigguratTables& z = ziggurat();
        for (;; u = next()) {
            const std::size_t i = u & 0xFF;
            const std::uint64_t j = u >> 11;
            if (j < z.k[i]) return static_cast<double>(j) * z.w[i];  // inside the layer's core
            if (i == 0) return kExponentialR - std::log(uniform_open_zero());  // memoryless tail
            const double x = static_cast<double>(j) * z.w[i];
            if (z.f[i] + uniform() * (z.f[i - 1] - z.f[i]) < std::exp(-x)) return x;  // under the curve
        }
    }
    [[gnu::noinline]] double normal_outside_core(std::uint64_t u) {
        const ZigguratTables& z = normal_ziggurat();
        for (;; u = next()) {
            const std::size_t i = u & 0xFF;
            const double sign = (u & 0x100) ? -1.0 : 1.0;
            const std::uint64_t j = u >> 11;
            const double x = static_cast<double>(j) * z.w[i];
            if (j < z.k[i]) return sign * x;  // inside the layer's core
            if (i == 0) {
                // Beyond r: x = r + E1 / r accepted with probability exp(-(E1 / r)^2 / 2).
                for (;;) {
                    const double excess = -std::log(uniform_open_zero()) / kNormalR;
                    const double e = -std::log(uniform_open_zero());
                    if (e + e >= excess * excess) return sign * (kNormalR + excess);
                }
            }
            if (z.f[i] + uniform() * (z.f[i - 1] - z.f[i]) < std::exp(-0.5 * x * x)) return sign * x;  // under the curve
        }
    }

    // Layer i >= 1 spans [0, x_i) at heights [f(x_i), f(x_{i-1})), x_255 = r the widest; layer
    // 0 is the base strip [0, r) plus the tail, counted as a rectangle of width v / f(r). Every
    // layer has area v. f is exp(-x) for the exponential, exp(-x^2 / 2) for the normal (its
    // half, unnormalised); f_inverse is its inverse.
    struct ZigguratTables {
        std::uint64_t k[256];  // accept j < k[i] without a test: the part inside layer i-1's edge
        double w[256];         // x_i / 2^53: abscissa per unit of j
        double f[256];         // f(x_i)
        template <class F, class FInverse>
        [[gnu::noinline]] ZigguratTables(double r, double v, F f_of, FInverse f_inverse) {
            constexpr double m = 0x1.0p53;
            const double q = v / f_of(r);
            k[0] = static_cast<std::uint64_t>(r / q * m);
            k[1] = 0;
            w[0] = q / m;
            w[255] = r / m;
            f[0] = 1.0;
            f[255] = f_of(r);
            double x = r, outer = r;
            for (int i = 254; i >= 1; --i) {
                x = f_inverse(v / x + f_of(x));
                k[i + 1] = static_cast<std::uint64_t>(x / outer * m);
                outer = x;
                f[i] = f_of(x);
                w[i] = x / m;
            }
        }
    };
    // Marsaglia & Tsang's 256-layer constants: the base strip's right edge, each layer's area.
    static constexpr double kExponentialR = 7.697117470131487;
    static constexpr double kExponentialV = 3.949659822581572e-3;
    static constexpr double kNormalR = 3.6541528853610088;
    static constexpr double kNormalV = 4.92867323399e-3;
    // Built once, read-only afterwards (thread-safe initialisation of a local static).
    static const ZigguratTables& ziggurat() {
        static const ZigguratTables tables(
            kExponentialR, kExponentialV, [](double x) { return std::exp(-x); },
            [](double y) { return -std::log(y); });
        return tables;
    }
    static const ZigguratTables& normal_ziggurat() {
        static const ZigguratTables tables(
            kNormalR, kNormalV, [](double x) { return std::exp(-0.5 * x * x); },
            [](double y) { return std::sqrt(-2.0 * std::log(y)); });
        return tables;
    }

    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t state_[4];
};

}  // namespace workersim
