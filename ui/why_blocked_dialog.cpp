#include "why_blocked_dialog.h"

#include "status_colors.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace tai::ui {

QString whyVerdict(const PaymentTrace& t) {
    switch (t.outcome) {
        case PaymentOutcome::Rejected: {
            QStringList fired;
            for (const RuleVerdict& r : t.rules) {
                if (r.fired) {
                    fired << QStringLiteral("%1 (+%2)").arg(r.name).arg(r.weight);
                }
            }
            return QStringLiteral("Rejected by the fraud policy: score %1 ≥ %2 from %3.")
                .arg(t.score)
                .arg(t.rejectScore)
                .arg(fired.join(QStringLiteral(", ")));
        }
        case PaymentOutcome::CircuitOpen:
            return QStringLiteral(
                       "Failed fast: the payment-gateway breaker was %1, so the gateway was not called. "
                       "Retry after %2 s.")
                .arg(toString(t.breaker))
                .arg(t.retryAfterS);
        case PaymentOutcome::QueueFull:
            return QStringLiteral("Shed: the admission queue was full (%1 of %2 waiting).")
                .arg(t.queuePosition)
                .arg(t.queueCapacity);
        case PaymentOutcome::GatewayError:
        case PaymentOutcome::GatewayTimeout:
            return QStringLiteral("The policy let it through (score %1 < %2); the gateway call failed: %3")
                .arg(t.score)
                .arg(t.rejectScore)
                .arg(t.error);
        case PaymentOutcome::Invalid:
            return QStringLiteral("Invalid request: %1").arg(t.error);
        case PaymentOutcome::IdempotencyConflict:
            return QStringLiteral("Idempotency conflict: %1").arg(t.error);
        case PaymentOutcome::Charged:
        case PaymentOutcome::Duplicate:
            return QStringLiteral("Not blocked: %1 (score %2 < %3).")
                .arg(toString(t.outcome))
                .arg(t.score)
                .arg(t.rejectScore);
    }
    return {};
}

WhyBlockedDialog::WhyBlockedDialog(const PaymentTrace& t, QWidget* parent) : QDialog(parent) {
    setWindowTitle(QStringLiteral("Why was this blocked? — payment %1").arg(t.paymentId));
    setAccessibleName(QStringLiteral("Why was this blocked?"));
    auto* layout = new QVBoxLayout(this);
    verdict_ = whyVerdict(t);
    auto* verdict = new QLabel(verdict_, this);
    verdict->setWordWrap(true);
    QFont bold = verdict->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.1);
    verdict->setFont(bold);
    layout->addWidget(verdict);

    rules_ = new QTableWidget(static_cast<int>(t.rules.size()) + 1, 3, this);
    rules_->setHorizontalHeaderLabels(
        {QStringLiteral("Rule"), QStringLiteral("Weight"), QStringLiteral("Fired")});
    rules_->verticalHeader()->hide();
    rules_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    rules_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    int row = 0;
    for (const RuleVerdict& r : t.rules) {
        rules_->setItem(row, 0, new QTableWidgetItem(r.name + QStringLiteral(" — ") + r.reason));
        rules_->setItem(row, 1, new QTableWidgetItem(QString::number(r.weight)));
        auto* fired = new QTableWidgetItem(r.fired ? QStringLiteral("fired") : QStringLiteral("no"));
        if (r.fired) {
            fired->setForeground(lightColor(AndonLight::Red));
        }
        rules_->setItem(row, 2, fired);
        ++row;
    }
    auto* total = new QTableWidgetItem(QStringLiteral("Total score (rejects at %1)").arg(t.rejectScore));
    QFont totalFont = total->font();
    totalFont.setBold(true);
    total->setFont(totalFont);
    rules_->setItem(row, 0, total);
    rules_->setItem(row, 1,
                    new QTableWidgetItem(t.policyRan ? QString::number(t.score) : QStringLiteral("—")));
    rules_->setItem(row, 2,
                    new QTableWidgetItem(t.policyRan ? (t.score >= t.rejectScore ? QStringLiteral("REJECT")
                                                                                 : QStringLiteral("pass"))
                                                     : QStringLiteral("policy not run")));
    layout->addWidget(rules_);

    auto* facts = new QFormLayout;
    facts->addRow(QStringLiteral("Outcome:"), new QLabel(toString(t.outcome), this));
    facts->addRow(
        QStringLiteral("Breaker at that moment:"),
        new QLabel(toString(t.breaker) + (t.breakerAllowed ? QString() : QStringLiteral(" (call refused)")),
                   this));
    facts->addRow(
        QStringLiteral("Queue position on arrival:"),
        new QLabel(QStringLiteral("%1 waiting of %2").arg(t.queuePosition).arg(t.queueCapacity), this));
    facts->addRow(QStringLiteral("Customer:"),
                  new QLabel(t.customerId.isEmpty() ? QStringLiteral("—") : t.customerId, this));
    facts->addRow(QStringLiteral("Trace id:"), new QLabel(t.traceId(), this));
    layout->addLayout(facts);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* open = buttons->addButton(QStringLiteral("Open trace"), QDialogButtonBox::ActionRole);
    connect(open, &QPushButton::clicked, this, [this, id = t.traceId()] {
        Q_EMIT openTraceRequested(id);
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(560, 420);
}

}  // namespace tai::ui
