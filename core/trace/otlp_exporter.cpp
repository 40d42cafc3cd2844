#include "trace/otlp_exporter.h"

#include "trace/otlp_json.h"

#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThread>
#include <QTimer>

#include <future>

#include <spdlog/spdlog.h>

#include <utility>

namespace tai {

class OtlpExporter::Worker : public QObject {
public:
    explicit Worker(OtlpExporter& owner) : owner_(owner) {}

    void begin() {
        network_ = new QNetworkAccessManager(this);
        auto* timer = new QTimer(this);
        QObject::connect(timer, &QTimer::timeout, this, [this, timer] { tick(timer); });
        bool stopping = false;
        {
            std::lock_guard lock(owner_.mutex_);
            owner_.timer_ = timer;
            stopping = owner_.lastFlush_ != nullptr;
        }
        timer->start(stopping ? 0 : static_cast<int>(owner_.options_.interval.count()));
    }

    // Every tick sends one batch; once the exporter is being destroyed, the last flush runs
    // here and hands back through the promise it left under the mutex.
    void tick(QTimer* timer) {
        std::promise<void>* last = nullptr;
        {
            std::lock_guard lock(owner_.mutex_);
            last = std::exchange(owner_.lastFlush_, nullptr);  // a second tick must not answer again
        }
        if (last == nullptr) {
            flush(false);
            return;
        }
        timer->stop();
        flush(true);
        last->set_value();
    }

    // `final`: at shutdown, everything goes, and the POST is waited for.
    void flush(bool final) {
        finalFlush_ = final;
        for (;;) {
            if (posting_ && !final) {
                return;
            }
            std::vector<std::shared_ptr<const KeptTrace>> batch;
            {
                std::lock_guard lock(owner_.mutex_);
                while (!owner_.queue_.empty() && batch.size() < owner_.options_.batch) {
                    batch.push_back(std::move(owner_.queue_.front()));
                    owner_.queue_.pop_front();
                }
            }
            if (batch.empty()) {
                return;
            }
            const QByteArray body = otlpTraceRequest(batch);
            if (!owner_.options_.file.isEmpty()) {
                QFile file(owner_.options_.file);
                if (file.open(QIODevice::Append) && file.write(body + '\n') == body.size() + 1) {
                    std::lock_guard lock(owner_.mutex_);
                    owner_.status_.exported += owner_.options_.endpoint.isEmpty() ? batch.size() : 0;
                } else {
                    std::lock_guard lock(owner_.mutex_);
                    owner_.status_.lastError =
                        owner_.options_.file + QStringLiteral(": ") + file.errorString();
                }
            }
            if (!owner_.options_.endpoint.isEmpty()) {
                post(body, std::move(batch), final);
            }
            if (!final || finalFailed_) {
                return;  // one batch per tick; at shutdown, stop at the first failure
            }
        }
    }

private:
    void post(const QByteArray& body, std::vector<std::shared_ptr<const KeptTrace>> batch, bool wait) {
        QNetworkRequest request(owner_.options_.endpoint);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setTransferTimeout(5000);
        posting_ = true;
        QNetworkReply* reply = network_->post(request, body);
        QObject::connect(
            reply, &QNetworkReply::finished, this, [this, reply, batch = std::move(batch)]() mutable {
                reply->deleteLater();
                posting_ = false;
                const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                std::lock_guard lock(owner_.mutex_);
                if (reply->error() == QNetworkReply::NoError && status >= 200 && status < 300) {
                    owner_.status_.exported += batch.size();
                    return;
                }
                ++owner_.status_.failedRequests;
                owner_.status_.lastError = reply->errorString();
                if (finalFlush_) {
                    // Shutting down: no later tick will retry, so these are lost, and counted.
                    finalFailed_ = true;
                    owner_.status_.dropped += batch.size();
                    spdlog::warn("otlp: {} traces not exported at shutdown: {}", batch.size(),
                                 owner_.status_.lastError.toStdString());
                    return;
                }
                // Back to the front, behind nothing: retried with the next tick, oldest dropped first.
                for (auto it = batch.rbegin(); it != batch.rend(); ++it) {
                    owner_.queue_.push_front(std::move(*it));
                }
                while (owner_.queue_.size() > owner_.options_.capacity) {
                    owner_.queue_.pop_front();
                    ++owner_.status_.dropped;
                }
            });
        if (wait) {
            QEventLoop loop;
            QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            if (reply->isRunning()) {
                loop.exec();
            }
        }
    }

    OtlpExporter& owner_;
    QNetworkAccessManager* network_ = nullptr;
    bool posting_ = false;
    bool finalFlush_ = false;
    bool finalFailed_ = false;
};

OtlpExporter::OtlpExporter(Options options) : options_(std::move(options)) {
    thread_ = std::make_unique<QThread>();
    thread_->setObjectName(QStringLiteral("tai-otlp"));
    worker_ = new Worker(*this);
    worker_->moveToThread(thread_.get());
    QObject::connect(thread_.get(), &QThread::started, worker_, [this] { worker_->begin(); });
    QObject::connect(thread_.get(), &QThread::finished, worker_, &QObject::deleteLater);
    thread_->start();
}

OtlpExporter::~OtlpExporter() {
    // The last traces go out before the thread ends (a bounded wait for the endpoint); the worker
    // is deleted on its own thread as it finishes (QThread::finished -> deleteLater). Every
    // hand-over is one TSan can see: the request under our std::mutex, the answer through a
    // std::promise. A functor posted with invokeMethod would not do: its slot object is freed
    // by whichever thread drops the last reference, through atomics inside libQt6Core.
    std::promise<void> done;
    std::future<void> flushed = done.get_future();
    QTimer* timer = nullptr;
    {
        std::lock_guard lock(mutex_);
        lastFlush_ = &done;
        timer = timer_;
    }
    if (timer != nullptr) {  // else the worker has not begun, and begins with the last flush
        QMetaObject::invokeMethod(timer, "start", Qt::QueuedConnection, Q_ARG(int, 0));
    }
    flushed.wait();
    thread_->quit();
    thread_->wait();
}

void OtlpExporter::add(std::shared_ptr<const KeptTrace> trace) {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(trace));
    while (queue_.size() > options_.capacity) {
        queue_.pop_front();
        ++status_.dropped;
    }
}

OtlpExportStatus OtlpExporter::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

}  // namespace tai
