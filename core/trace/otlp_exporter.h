#pragma once

#include "trace/kept_trace.h"

#include <QString>
#include <QUrl>

#include <deque>
#include <future>
#include <memory>
#include <mutex>

class QThread;
class QTimer;

namespace tai {

struct OtlpExportStatus {
    std::uint64_t exported = 0;  // traces written or accepted by the endpoint
    std::uint64_t dropped = 0;   // queue overflow, oldest first
    std::uint64_t failedRequests = 0;
    QString lastError;
};

// OTLP/JSON export of kept traces (§10.3), off the engine thread: once a second the queued traces
// go out as one ExportTraceServiceRequest, appended as a line to `file` (the OpenTelemetry
// Collector's file format) and POSTed to `endpoint` (an OTLP/HTTP collector's /v1/traces). A
// failed POST is retried with the next batch; the queue is bounded and drops oldest first.
class OtlpExporter {
public:
    struct Options {
        QString file;
        QUrl endpoint;  // full URL, e.g. http://127.0.0.1:4318/v1/traces
        std::size_t capacity = 10'000;
        std::size_t batch = 512;
        std::chrono::milliseconds interval{1000};
    };
    explicit OtlpExporter(Options options);
    ~OtlpExporter();  // flushes what is queued
    OtlpExporter(const OtlpExporter&) = delete;
    OtlpExporter& operator=(const OtlpExporter&) = delete;

    void add(std::shared_ptr<const KeptTrace> trace);  // thread-safe, never blocks on I/O
    OtlpExportStatus status() const;

private:
    class Worker;

    Options options_;
    mutable std::mutex mutex_;
    std::deque<std::shared_ptr<const KeptTrace>> queue_;
    OtlpExportStatus status_;
    std::unique_ptr<QThread> thread_;
    Worker* worker_ = nullptr;
    QTimer* timer_ = nullptr;                  // the worker's, under mutex_ once it has begun
    std::promise<void>* lastFlush_ = nullptr;  // under mutex_: set by the destructor
};

}  // namespace tai
