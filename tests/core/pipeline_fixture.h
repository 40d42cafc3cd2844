#pragma once

#include "base/virtual_clock.h"
#include "payments/gateway_simulator.h"
#include "payments/idempotency_store.h"
#include "payments/payment_pipeline.h"

#include <optional>

// A payment pipeline on a VirtualClock with the default policy, plus helpers to send payments.
struct PipelineFixture {
    explicit PipelineFixture(tai::PaymentsConfig config = {})
        : clock(tai::TimePoint{std::chrono::seconds(1'767'225'600)}),
          gateway(7, clock),
          pipeline(config, clock, gateway, store) {}

    tai::PaymentSignal payment(const QString& id, const QString& customer = QStringLiteral("cust_1"),
                               std::int64_t minor = 1000, const QString& currency = QStringLiteral("USD")) {
        tai::PaymentSignal s;
        s.id = id;
        s.customerId = customer;
        s.merchantId = QStringLiteral("merc_1");
        s.amountMinor = minor;
        s.currency = currency;
        return s;
    }

    // Submits; returns the response if it arrived synchronously. Every response, including
    // ones that arrive later as the clock advances, is appended to `responses`.
    std::optional<tai::PaymentResponse> send(tai::PaymentSignal s) {
        const std::size_t before = responses.size();
        pipeline.submit(std::move(s), QStringLiteral("0123456789abcdef0123456789abcdef"),
                        [this](const tai::PaymentResponse& r) { responses.push_back(r); });
        return responses.size() > before ? std::optional(responses.back()) : std::nullopt;
    }

    std::vector<tai::PaymentResponse> responses;

    tai::VirtualClock clock;
    tai::GatewaySimulator gateway;
    tai::InMemoryIdempotencyStore store;
    tai::PaymentPipeline pipeline;
};
