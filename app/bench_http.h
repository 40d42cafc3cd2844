#pragma once

#include "engine/engine_config.h"

#include <QMap>
#include <QString>

namespace tai::app {

// The HTTP path as a client meets it (issue 16): tai-console's own API (router on tai::http)
// over loopback, driven by HttpLoadClient in this process with keep-alive connections, each
// closed-loop (one request outstanding). Payments carry a fresh idempotency key each.
struct HttpRun {
    double healthzPerS = 0;        // GET /healthz, 64 connections
    double paymentsPerS = 0;       // POST /v1/payments in memory (--ephemeral), 64 connections
    double singleClientP50Ms = 0;  // POST /v1/payments in memory, 1 connection
    double singleClientP99Ms = 0;
    double durablePaymentsPerS = 0;      // POST /v1/payments with a durable data dir, 64 connections
    QMap<int, quint64> paymentStatuses;  // of the in-memory 64-connection run
    QMap<int, quint64> durableStatuses;
    quint64 connectionErrors = 0;  // over every run; anything but 0 is a defect
    QString error;                 // set when a run could not be made
};

HttpRun measureHttp(const EngineConfig& base, const QString& durableDirectory, double seconds);

}  // namespace tai::app
