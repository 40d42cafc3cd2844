// The Andon board and trace tabs of the main window: acknowledging, silencing and answering
// alerts, tray notifications, and "Why was this blocked?". Split from main_window.cpp by
// responsibility; the class is the same.
#include "andon_board.h"
#include "engine/engine.h"
#include "main_window.h"
#include "payments/payment_trace.h"
#include "trace/trace_store.h"
#include "trace_view.h"
#include "why_blocked_dialog.h"

#include <QFutureWatcher>
#include <QInputDialog>
#include <QLabel>
#include <QSystemTrayIcon>
#include <QTabWidget>

namespace tai::ui {

void MainWindow::buildAndonAndTraces() {
    askMinutes_ = [this](const QString& alert) -> std::optional<int> {
        bool ok = false;
        const int minutes = QInputDialog::getInt(
            this, QStringLiteral("Silence alert"),
            QStringLiteral("Silence %1 for how many minutes?\n(0 lifts a silence)").arg(alert), 60, 0,
            7 * 24 * 60, 15, &ok);
        return ok ? std::optional(minutes) : std::nullopt;
    };
    andonBoard_ = new AndonBoard(views_);
    views_->addTab(andonBoard_, QStringLiteral("Andon board"));
    traceView_ = new TraceView(views_);
    traceView_->setSource([this](const TraceQuery& q) { return engine_.findTraces(q); });
    views_->addTab(traceView_, QStringLiteral("Traces"));
    connect(views_, &QTabWidget::currentChanged, this, [this](int index) {
        if (views_->widget(index) == traceView_ && traceView_->following()) {
            traceView_->search();
        }
    });
    connect(andonBoard_, &AndonBoard::acknowledgeRequested, this, [this](const QString& key) {
        const auto note =
            confirm_(QStringLiteral("Acknowledge alert"),
                     QStringLiteral("Acknowledge %1? It keeps firing until its condition clears.").arg(key));
        if (!note) {
            return;
        }
        send(ControlAlert{key, ControlAlert::Action::Acknowledge, 0, {operatorName(), *note}},
             QStringLiteral("acknowledge ") + key);
    });
    connect(andonBoard_, &AndonBoard::silenceRequested, this, [this](const QString& key) {
        const auto minutes = askMinutes_(key);
        if (!minutes) {
            return;
        }
        const auto reason =
            confirm_(QStringLiteral("Silence alert"),
                     QStringLiteral("Silence %1 for %2 min? It leaves the light and the notifiers.")
                         .arg(key)
                         .arg(*minutes));
        if (!reason) {
            return;
        }
        send(ControlAlert{key, ControlAlert::Action::Silence, *minutes * 60, {operatorName(), *reason}},
             QStringLiteral("silence ") + key);
    });
    connect(andonBoard_, &AndonBoard::controlRequested, this, &MainWindow::requestAlertControl);
    connect(andonBoard_, &AndonBoard::whyRequested, this, &MainWindow::whyForAlert);
    connect(traceView_, &TraceView::whyRequested, this, &MainWindow::showWhy);
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        tray_ = new QSystemTrayIcon(windowIcon(), this);
        tray_->setToolTip(QStringLiteral("TAI Console"));
        tray_->show();
    }
}

void MainWindow::notifyTray(const EngineSnapshot& s) {
    const std::int64_t now = toEpochMs(s.at);
    QSet<QString> firing;
    for (const ActiveAlert& a : s.alerts) {
        if (a.state != AlertState::Firing || a.silencedAt(now)) {
            continue;
        }
        firing.insert(a.key);
        if (!announced_.contains(a.key) && tray_ != nullptr && QSystemTrayIcon::supportsMessages()) {
            tray_->showMessage(
                QStringLiteral("Andon %1: %2").arg(toString(a.severity), a.subject), a.message,
                a.severity == Severity::Critical ? QSystemTrayIcon::Critical : QSystemTrayIcon::Warning,
                10'000);
        }
    }
    announced_ = firing;  // an alert that resolves and fires again is announced again
}

void MainWindow::requestAlertControl(const ActiveAlert& alert) {
    // The alert names its control and what it applies to; the console just asks and sends it.
    if (alert.control == u"force_half_open") {
        requestBreakerControl(alert.subject, BreakerControl::ForceHalfOpen);
    } else if (alert.control == u"rollback") {
        requestRolloutControl(alert.subject, RolloutControl::Rollback, alert.region);
    } else if (alert.control == u"retry") {
        requestRolloutControl(alert.subject, RolloutControl::Retry, QString());
    }
}

void MainWindow::whyForAlert(const ActiveAlert& alert) {
    QStringList outcomes;
    if (alert.rule == u"breaker_open") {
        outcomes = {QStringLiteral("circuit_open")};
    } else if (alert.rule == u"fraud_rate") {
        outcomes = {QStringLiteral("rejected")};
    } else if (alert.rule == u"p99_latency_ms") {
        outcomes = {QStringLiteral("gateway_timeout")};
    } else {
        outcomes = {QStringLiteral("gateway_error"), QStringLiteral("gateway_timeout"),
                    QStringLiteral("circuit_open"), QStringLiteral("queue_full")};
    }
    // The newest kept payment with one of these outcomes, looked up off the GUI thread.
    auto latest = std::make_shared<std::shared_ptr<const KeptTrace>>();
    auto pending = std::make_shared<int>(static_cast<int>(outcomes.size()));
    for (const QString& outcome : outcomes) {
        TraceQuery q;
        q.tags = {{QStringLiteral("outcome"), outcome}};
        q.limit = 1;
        auto* watcher = new QFutureWatcher<std::vector<std::shared_ptr<const KeptTrace>>>(this);
        connect(watcher, &QFutureWatcherBase::finished, this,
                [this, watcher, latest, pending, key = alert.key] {
                    const auto found = watcher->future().resultCount() > 0
                                           ? watcher->future().result()
                                           : std::vector<std::shared_ptr<const KeptTrace>>{};
                    watcher->deleteLater();
                    if (!found.empty() && (!*latest || found.front()->end() > (*latest)->end())) {
                        *latest = found.front();
                    }
                    if (--*pending > 0) {
                        return;
                    }
                    if (!*latest) {
                        status_->setText(QStringLiteral("No kept payment explains %1 yet").arg(key));
                        return;
                    }
                    showWhy((*latest)->traceId());
                });
        watcher->setFuture(engine_.findTraces(q));
    }
}

void MainWindow::showWhy(const QString& traceId) {
    TraceQuery q;
    q.traceId = traceId;
    q.limit = 1;
    auto* watcher = new QFutureWatcher<std::vector<std::shared_ptr<const KeptTrace>>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, traceId] {
        const auto found = watcher->future().resultCount() > 0
                               ? watcher->future().result()
                               : std::vector<std::shared_ptr<const KeptTrace>>{};
        watcher->deleteLater();
        const auto payment =
            found.empty() ? nullptr : std::dynamic_pointer_cast<const PaymentTrace>(found.front());
        if (!payment) {
            status_->setText(QStringLiteral("Trace %1 was not kept (sampled out, or evicted)").arg(traceId));
            return;
        }
        auto* dialog = new WhyBlockedDialog(*payment, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &WhyBlockedDialog::openTraceRequested, this, [this](const QString& id) {
            views_->setCurrentWidget(traceView_);
            traceView_->showTrace(id);
        });
        connect(dialog, &QObject::destroyed, this, [this, dialog] {
            if (lastWhy_ == dialog) {
                lastWhy_ = nullptr;
            }
        });
        lastWhy_ = dialog;
        dialog->show();
    });
    watcher->setFuture(engine_.findTraces(q));
}

}  // namespace tai::ui
