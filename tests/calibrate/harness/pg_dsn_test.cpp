#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "calibrate/harness/postgres_cluster.hpp"

using namespace workersim;

TEST_CASE("a DSN naming every key sets every field", "[pg_dsn]") {
    const ExistingDatabase db = parse_pg_dsn("host=10.0.0.7 port=6543 user=app password=s3cret dbname=shop");
    CHECK(db.host == "10.0.0.7");
    CHECK(db.port == 6543);
    CHECK(db.user == "app");
    CHECK(db.password == "s3cret");
    CHECK(db.dbname == "shop");
}

TEST_CASE("keys left out of a DSN keep the article's values", "[pg_dsn]") {
    const ExistingDatabase only_host = parse_pg_dsn("host=db.example");
    CHECK(only_host.host == "db.example");
    CHECK(only_host.port == 5432);
    CHECK(only_host.user == "postgres");
    CHECK(only_host.password == "password");
    CHECK(only_host.dbname == "postgres");

    const ExistingDatabase only_port = parse_pg_dsn("port=5433");
    CHECK(only_port.host == "127.0.0.1");
    CHECK(only_port.port == 5433);
    CHECK(only_port.user == "postgres");
    CHECK(only_port.password == "password");
    CHECK(only_port.dbname == "postgres");
}

TEST_CASE("hostaddr is accepted in place of host", "[pg_dsn]") {
    CHECK(parse_pg_dsn("hostaddr=192.168.1.2").host == "192.168.1.2");
}

TEST_CASE("spaces around the equals sign and between pairs are ignored", "[pg_dsn]") {
    const ExistingDatabase db = parse_pg_dsn("  host = 10.1.2.3   port =5434\tuser= bob  ");
    CHECK(db.host == "10.1.2.3");
    CHECK(db.port == 5434);
    CHECK(db.user == "bob");
}

TEST_CASE("a single-quoted DSN value may hold spaces and backslash-escaped quotes and backslashes", "[pg_dsn]") {
    const ExistingDatabase db = parse_pg_dsn(R"(password='two words' dbname='it\'s' user='back\\slash' host='h')");
    CHECK(db.password == "two words");
    CHECK(db.dbname == "it's");
    CHECK(db.user == R"(back\slash)");
    CHECK(db.host == "h");
}

TEST_CASE("an empty quoted password is accepted", "[pg_dsn]") {
    CHECK(parse_pg_dsn("password=''").password.empty());
}

TEST_CASE("an unterminated quoted DSN value is rejected naming its key", "[pg_dsn]") {
    CHECK_THROWS_AS(parse_pg_dsn("password='open"), std::invalid_argument);
    CHECK_THROWS_WITH(parse_pg_dsn("password='open"), Catch::Contains("password"));
}

TEST_CASE("a DSN port outside 1..65535 or not a number is rejected naming the value and the range", "[pg_dsn]") {
    for (const char* port : {"0", "65536", "abc", "-1", "5432x", "99999999999999999999"}) {
        INFO("port=" << port);
        const std::string dsn = std::string("port=") + port;
        CHECK_THROWS_AS(parse_pg_dsn(dsn), std::invalid_argument);
        CHECK_THROWS_WITH(parse_pg_dsn(dsn), Catch::Contains(std::string("port ") + port) && Catch::Contains("1..65535"));
    }
}

TEST_CASE("the DSN port's range ends are accepted", "[pg_dsn]") {
    CHECK(parse_pg_dsn("port=1").port == 1);
    CHECK(parse_pg_dsn("port=65535").port == 65535);
}

TEST_CASE("a DSN with an unknown key is rejected naming the key", "[pg_dsn]") {
    CHECK_THROWS_AS(parse_pg_dsn("host=127.0.0.1 sslmode=disable"), std::invalid_argument);
    CHECK_THROWS_WITH(parse_pg_dsn("host=127.0.0.1 sslmode=disable"),
                      Catch::Contains("sslmode") && Catch::Contains("expected host"));
}

TEST_CASE("an empty DSN is rejected", "[pg_dsn]") {
    for (const char* dsn : {"", "   ", "\t\n"}) {
        INFO("dsn: \"" << dsn << "\"");
        CHECK_THROWS_AS(parse_pg_dsn(dsn), std::invalid_argument);
        CHECK_THROWS_WITH(parse_pg_dsn(dsn), Catch::Contains("empty"));
    }
}

TEST_CASE("a DSN word without an equals sign is rejected", "[pg_dsn]") {
    CHECK_THROWS_AS(parse_pg_dsn("localhost"), std::invalid_argument);
    CHECK_THROWS_WITH(parse_pg_dsn("localhost"), Catch::Contains("key=value"));
    CHECK_THROWS_AS(parse_pg_dsn("host=127.0.0.1 port"), std::invalid_argument);
    CHECK_THROWS_WITH(parse_pg_dsn("host=127.0.0.1 port"), Catch::Contains("key=value"));
}

TEST_CASE("a DSN key with an empty value other than the password is rejected naming the key", "[pg_dsn]") {
    CHECK_THROWS_WITH(parse_pg_dsn("port=5432 host="), Catch::Contains("host is empty"));
    CHECK_THROWS_WITH(parse_pg_dsn("user=''"), Catch::Contains("user is empty"));
    CHECK_THROWS_WITH(parse_pg_dsn("dbname="), Catch::Contains("dbname is empty"));
}
