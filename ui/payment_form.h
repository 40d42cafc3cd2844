#pragma once

#include "payments/payment_response.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace tai::ui {

// Inject one payment by hand. Validates as you type with the engine's own §4.1 rules, so the
// messages are exactly the ones the API and replay give, then shows the decision it got.
class PaymentForm : public QWidget {
    Q_OBJECT
public:
    explicit PaymentForm(QWidget* parent = nullptr);

    void showResponse(const PaymentResponse& response);
    QLineEdit* field(const QString& name) const { return fields_.value(name); }
    QString errorFor(const QString& name) const;
    bool canSubmit() const;
    QString resultText() const;
    QByteArray json() const;

    QPushButton* whyButton() const { return why_; }

Q_SIGNALS:
    void paymentRequested(const QByteArray& json);
    // The last answer was blocked (rejected or failed): the operator asks why.
    void whyRequested(const QString& traceId);

private:
    void validate();
    QJsonObject object() const;

    QHash<QString, QLineEdit*> fields_;
    QHash<QString, QLabel*> errors_;
    QPushButton* submit_;
    QLabel* result_;
    QPushButton* why_;
    QString lastTraceId_;
};

}  // namespace tai::ui
