#include <catch2/catch.hpp>

#include <sstream>

#include "report/text_format.hpp"

using namespace workersim::report;

TEST_CASE("fixed prints exactly the decimals asked for, rounding as printf does") {
    CHECK(fixed(2.0, 3) == "2.000");
    CHECK(fixed(1.23456, 2) == "1.23");
    CHECK(fixed(0.5, 0) == "0");  // round half to even, as %.0f
    CHECK(fixed(-1.25, 1) == "-1.2");
}

TEST_CASE("general prints a double as an ostream does by default") {
    CHECK(general(4) == "4");
    CHECK(general(0.1) == "0.1");
    CHECK(general(1234567) == "1.23457e+06");
}

TEST_CASE("a figure's size switches unit at each 1024 and keeps more decimals in the larger unit") {
    CHECK(format_kib(512) == "512 KiB");
    CHECK(format_kib(1024) == "1.0 MiB");
    CHECK(format_kib(201523) == "196.8 MiB");
    CHECK(format_kib(4.0 * 1024 * 1024) == "4.00 GiB");
}

TEST_CASE("advice's sizes are coarser: MiB or GiB with one decimal, none from 10 GiB") {
    CHECK(format_kib_rounded(0) == "0.0 MiB");
    CHECK(format_kib_rounded(100 * 1024) == "100.0 MiB");
    CHECK(format_kib_rounded(2.3 * 1024 * 1024) == "2.3 GiB");
    CHECK(format_kib_rounded(12.4 * 1024 * 1024) == "12 GiB");
}

TEST_CASE("padding fills up to the width and never cuts a longer text") {
    CHECK(pad_left("42", 5) == "   42");
    CHECK(pad_right("ab", 4) == "ab  ");
    CHECK(pad_left("123456", 3) == "123456");
    CHECK(pad_right("123456", 3) == "123456");
}

TEST_CASE("wrapped text breaks between words within the width, each line indented") {
    std::ostringstream out;
    print_wrapped(out, "one two three four five six", 12);
    CHECK(out.str() == "  one two\n  three four\n  five six\n");
}
