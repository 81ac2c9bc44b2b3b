"""The benchmark's textbook models in SimPy, for a side-by-side speed measurement.

Same models as bench/workersim_bench.cpp: the open M/M/8 pool (Poisson 72/s, 100 ms
exponential service, 8 workers) and the closed loop of 30 clients on 5 workers with 1 s
deterministic service (each client sends n/30 requests back to back). Each run prints the
mean response time (a check that the model is the same: Erlang C 0.18769 s; 6 - 75/n s)
and the simulated requests per second of wall-clock time.

Runs with SimPy 4 (`import simpy`) when present, else SimPy 2 (Debian's python3-simpy
2.3.1, `SimPy.Simulation`). The processor-sharing case has no counterpart: neither SimPy
has a processor-sharing resource, and building one in Python would measure that code, not
SimPy.

Usage: python3 models.py mm8|closed REQUESTS REPETITIONS
"""

import random
import statistics
import sys
import time

try:
    import simpy  # SimPy 4

    SIMPY = "simpy " + simpy.__version__
except ImportError:
    simpy = None
    import SimPy
    from SimPy.Simulation import Process, Resource, Simulation, hold, release, request

    SIMPY = "SimPy " + getattr(SimPy, "__version__", "2.3.1")


# ---- SimPy 4 --------------------------------------------------------------------------
def mm8_v4(n, seed):
    rng = random.Random(seed)
    env = simpy.Environment()
    pool = simpy.Resource(env, capacity=8)
    total = [0.0]

    def customer():
        arrive = env.now
        with pool.request() as req:
            yield req
            yield env.timeout(rng.expovariate(10.0))
        total[0] += env.now - arrive

    def source():
        for _ in range(n):
            env.process(customer())
            yield env.timeout(rng.expovariate(72.0))

    env.process(source())
    env.run()
    return total[0] / n


def closed_v4(n, seed):
    env = simpy.Environment()
    pool = simpy.Resource(env, capacity=5)
    total = [0.0]
    per_client = n // 30

    def client():
        for _ in range(per_client):
            sent = env.now
            with pool.request() as req:
                yield req
                yield env.timeout(1.0)
            total[0] += env.now - sent

    for _ in range(30):
        env.process(client())
    env.run()
    return total[0] / (per_client * 30)


# ---- SimPy 2 --------------------------------------------------------------------------
def mm8_v2(n, seed):
    rng = random.Random(seed)
    sim = Simulation()
    sim.initialize()
    pool = Resource(capacity=8, sim=sim)
    total = [0.0]

    class Customer(Process):
        def visit(self):
            arrive = self.sim.now()
            yield request, self, pool
            yield hold, self, rng.expovariate(10.0)
            yield release, self, pool
            total[0] += self.sim.now() - arrive

    class Source(Process):
        def generate(self):
            for _ in range(n):
                c = Customer(sim=self.sim)
                self.sim.activate(c, c.visit())
                yield hold, self, rng.expovariate(72.0)

    s = Source(sim=sim)
    sim.activate(s, s.generate())
    sim.simulate(until=1e18)
    return total[0] / n


def closed_v2(n, seed):
    sim = Simulation()
    sim.initialize()
    pool = Resource(capacity=5, sim=sim)
    total = [0.0]
    per_client = n // 30

    class Client(Process):
        def run(self):
            for _ in range(per_client):
                sent = self.sim.now()
                yield request, self, pool
                yield hold, self, 1.0
                yield release, self, pool
                total[0] += self.sim.now() - sent

    for _ in range(30):
        c = Client(sim=sim)
        sim.activate(c, c.run())
    sim.simulate(until=1e18)
    return total[0] / (per_client * 30)


def main():
    model, n, repetitions = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    run = {
        ("mm8", True): mm8_v4,
        ("closed", True): closed_v4,
        ("mm8", False): mm8_v2,
        ("closed", False): closed_v2,
    }[(model, simpy is not None)]
    completed = n if model == "mm8" else (n // 30) * 30
    rates = []
    for k in range(repetitions):
        start = time.perf_counter()
        mean = run(n, 1 + k)
        rates.append(completed / (time.perf_counter() - start))
    rates.sort()
    print(
        "%s %-6s %8d req  mean response %.5f s  requests %9.0f /s (median of %d; min %.0f, max %.0f)"
        % (SIMPY, model, completed, mean, statistics.median(rates), repetitions, rates[0], rates[-1])
    )


if __name__ == "__main__":
    main()
