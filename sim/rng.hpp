#pragma once
// The simulator's random numbers: xoshiro256** seeded through splitmix64. Small, fast and
// reproducible on every platform (std:: distributions are not: their algorithms differ
// between standard libraries). Every stream is derived from the run's seed and a purpose,
// so adding a draw to one stream never shifts another (common random numbers).

#include <cmath>
#include <cstdint>

namespace workersim {

class Rng {
public:
    explicit Rng(std::uint64_t seed, std::uint64_t stream = 0) {
        std::uint64_t x = seed ^ (0x9E3779B97F4A7C15ULL * (stream + 1));
        for (auto& word : state_) word = splitmix64(x);
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
    double exponential(double mean) { return -mean * std::log(uniform_open_zero()); }
    // Standard normal by Box-Muller (one of the pair; simplicity over speed, it is off the
    // textbook scenarios' path).
    double normal() {
        const double r = std::sqrt(-2.0 * std::log(uniform_open_zero()));
        return r * std::cos(6.283185307179586 * uniform());
    }
    // Uniform integer on [0, n).
    std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : next() % n; }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitmix64(std::uint64_t& x) {
        std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    std::uint64_t state_[4];
};

}  // namespace workersim
