// The Andon board and trace tabs of the main window: acknowledging, silencing and answering
// alerts, tray notifications, and "Why was this blocked?". Split from main_window.cpp by
// responsibility; the class is the same.
#include "andon_board.h"
#include "engine/engine.h"
#include "main_window.h"
#include "trace/trace_store.h"
#include "trace_view.h"
#include "why_blocked_dialog.h"

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
    traceView_->setStore(engine_.traceStore());
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
    if (alert.control == u"force_half_open") {
        requestBreakerControl(alert.subject, BreakerControl::ForceHalfOpen);
        return;
    }
    if (alert.control == u"rollback" && latest_) {
        for (const RolloutView& r : latest_->rollouts) {
            if (r.id != alert.subject) {
                continue;
            }
            // The region it happened in: the active one, else the last that got past pending.
            QString region;
            if (r.activeRegion >= 0 && r.activeRegion < static_cast<int>(r.regions.size())) {
                region = r.regions[static_cast<std::size_t>(r.activeRegion)].region;
            }
            for (auto it = r.regions.rbegin(); region.isEmpty() && it != r.regions.rend(); ++it) {
                if (it->stage != u"pending" && it->stage != u"cancelled") {
                    region = it->region;
                }
            }
            if (!region.isEmpty()) {
                requestRolloutControl(r.id, RolloutControl::Rollback, region);
                return;
            }
        }
        status_->setText(QStringLiteral("No region to roll back for ") + alert.subject);
    }
}

void MainWindow::whyForAlert(const ActiveAlert& alert) {
    TraceStore* store = engine_.traceStore();
    if (store == nullptr) {
        return;
    }
    std::vector<PaymentOutcome> outcomes;
    if (alert.rule == u"breaker_open") {
        outcomes = {PaymentOutcome::CircuitOpen};
    } else if (alert.rule == u"fraud_rate") {
        outcomes = {PaymentOutcome::Rejected};
    } else if (alert.rule == u"p99_latency_ms") {
        outcomes = {PaymentOutcome::GatewayTimeout};
    } else {
        outcomes = {PaymentOutcome::GatewayError, PaymentOutcome::GatewayTimeout, PaymentOutcome::CircuitOpen,
                    PaymentOutcome::QueueFull};
    }
    std::shared_ptr<const PaymentTrace> latest;
    for (const PaymentOutcome outcome : outcomes) {
        TraceQuery q;
        q.outcome = outcome;
        q.limit = 1;
        const auto found = store->search(q);
        if (!found.empty() && (!latest || found.front()->end > latest->end)) {
            latest = found.front();
        }
    }
    if (!latest) {
        status_->setText(QStringLiteral("No kept payment explains %1 yet").arg(alert.key));
        return;
    }
    showWhy(latest->traceId);
}

bool MainWindow::showWhy(const QString& traceId) {
    const auto trace = engine_.traceStore() != nullptr ? engine_.traceStore()->find(traceId) : nullptr;
    if (!trace) {
        status_->setText(QStringLiteral("Trace %1 was not kept (sampled out, or evicted)").arg(traceId));
        return false;
    }
    auto* dialog = new WhyBlockedDialog(*trace, this);
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
    return true;
}

}  // namespace tai::ui
