#pragma once

#include "payments/payment_trace.h"

#include <QDialog>

class QTableWidget;

namespace tai::ui {

// "Why was this blocked?" for one payment: each rule with its weight and whether it fired, the
// total score against the threshold, the breaker state and the queue position at that moment,
// and what the customer was told.
class WhyBlockedDialog : public QDialog {
    Q_OBJECT
public:
    WhyBlockedDialog(const PaymentTrace& trace, QWidget* parent = nullptr);
    QTableWidget* rules() const { return rules_; }
    QString verdict() const { return verdict_; }  // the one-line answer at the top

Q_SIGNALS:
    void openTraceRequested(const QString& traceId);

private:
    QTableWidget* rules_;
    QString verdict_;
};

// The sentence at the top: why this outcome, in words.
QString whyVerdict(const PaymentTrace& trace);

}  // namespace tai::ui
