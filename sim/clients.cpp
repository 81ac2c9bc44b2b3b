#include "sim/clients.hpp"

#include "sim/listen_socket.hpp"
#include "sim/worker_pool.hpp"

namespace workersim {

Clients::Clients(const Load& load, bool reuses_connections, Rng arrivals_rng, const RequestClasses& classes,
                 Rng url_mix_rng, RequestSlots& requests, EventQueue& events, Cores& cores, Statistics& statistics)
    : load_(load),
      arrivals_rng_(arrivals_rng),
      classes_(classes),
      url_mix_rng_(url_mix_rng),
      requests_(requests),
      events_(events),
      cores_(cores),
      statistics_(statistics),
      reuses_connections_(reuses_connections) {
    if (load_.kind == LoadKind::closed) {
        const std::int64_t per_client = hey_requests_per_client(load_.requests, load_.clients);
        remaining_.assign(static_cast<std::size_t>(load_.clients), per_client);
        total_ = per_client * load_.clients;
        for (std::size_t c = 0; c < load_.clients_per_class.size(); ++c)
            client_class_.insert(client_class_.end(), static_cast<std::size_t>(load_.clients_per_class[c]),
                                 static_cast<std::uint16_t>(c));
    } else {
        total_ = load_.requests;
    }
}

void Clients::start() {
    if (load_.kind == LoadKind::closed) {
        for (std::uint32_t c = 0; c < remaining_.size(); ++c) send(c, 0.0);
    } else {
        schedule_arrival(0.0);
    }
}

void Clients::arrival(double now_s) {
    start_request(0, now_s);
    if (++arrived_ < total_)
        schedule_arrival(now_s + arrivals_rng_.exponential(1.0 / load_.rate_per_s));
    else
        next_arrival_s_ = std::numeric_limits<double>::infinity();
}

void Clients::schedule_arrival(double at_s) {
    next_arrival_s_ = at_s;
    next_arrival_order_ = events_.take_order();
}

void Clients::send(std::uint32_t client, double now_s) {
    --remaining_[client];
    start_request(client, now_s);
}

void Clients::start_request(std::uint32_t client, double now_s) {
    const std::uint32_t slot = requests_.allocate();
    Request& r = requests_[slot];
    r.sent_s = now_s;
    r.client = client;
    r.phase = 0;
    r.request_class = client_class_.empty() ? classes_.draw(url_mix_rng_) : client_class_[client];
    r.syn_drops = 0;
    r.worker = kNoWorker;
    r.client_gone = false;
    statistics_.clocks().start(slot, LatencyPart::loadgen, now_s);
    if (first_send_s_ < 0) first_send_s_ = now_s;
    if (load_.client_timeout_s > 0)
        events_.push(now_s + load_.client_timeout_s, EventKind::client_timeout, requests_.ref(slot));
    if (load_.loadgen_cpu_s > 0) {
        r.stage = Stage::loadgen_cpu;
        cores_.add(now_s, slot, load_.loadgen_cpu_s);
    } else {
        connect(slot, now_s);
    }
}

void Clients::sent(std::uint32_t slot, double now_s) { connect(slot, now_s); }

// A request on a kept connection skips connect(): it goes straight to the process holding
// the connection.
void Clients::connect(std::uint32_t slot, double now_s) {
    if (reuses_connections_ && pool_->send_on_kept_connection(slot, now_s)) return;
    socket_->connect(slot, now_s);
}

void Clients::resolve(Request& request, double now_s) {
    request.client_gone = true;
    ++resolved_;
    last_resolution_s_ = now_s;
    if (load_.kind == LoadKind::closed && remaining_[request.client] > 0) send(request.client, now_s);
}

void Clients::time_out(RequestRef ref, double now_s) {
    Request& r = requests_[ref.slot];
    if (r.client_gone) return;
    statistics_.client_timeout();
    const bool server_holds_it = r.stage == Stage::queued || r.stage == Stage::serving;
    if (r.stage == Stage::loadgen_cpu) cores_.remove(now_s, ref.slot);
    resolve(r, now_s);
    if (!server_holds_it) requests_.release(ref.slot);  // never reached the server: nothing left of it
}

}  // namespace workersim
