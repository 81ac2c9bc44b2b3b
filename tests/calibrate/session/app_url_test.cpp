#include <catch2/catch.hpp>

#include "calibrate/session/app_url.hpp"

using namespace workersim;

TEST_CASE("a GET is named by its path alone and another method by the method and the path") {
    CHECK(app_url_name({"GET", "/orders"}) == "/orders");
    CHECK(app_url_name({"POST", "/orders"}) == "POST /orders");
    CHECK(app_url("/orders?page=2").method == "GET");
    CHECK(app_url("/orders?page=2").path == "/orders?page=2");
    CHECK(app_url("PUT /orders/7").method == "PUT");
    CHECK(app_url("PUT /orders/7").path == "/orders/7");
    for (const char* name : {"/orders", "POST /orders", "DELETE /orders/7"}) CHECK(app_url_name(app_url(name)) == name);
}

TEST_CASE("POST, PUT and PATCH carry a body; GET and DELETE do not") {
    CHECK(method_takes_body("POST"));
    CHECK(method_takes_body("PUT"));
    CHECK(method_takes_body("PATCH"));
    CHECK_FALSE(method_takes_body("GET"));
    CHECK_FALSE(method_takes_body("DELETE"));
    CHECK(known_http_method("PATCH"));
    CHECK_FALSE(known_http_method("post"));
    CHECK_FALSE(known_http_method("FETCH"));
}
