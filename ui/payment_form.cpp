#include "payment_form.h"

#include "payments/payment_signal.h"

#include <QFormLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace tai::ui {

namespace {
struct FieldSpec {
    const char16_t* name;
    const char16_t* label;
    const char16_t* initial;
    const char16_t* tip;
};
const FieldSpec kFields[] = {
    {u"customer_id", u"Customer", u"cust_demo", u"Required: 1–64 of A–Z a–z 0–9 _ . : -"},
    {u"merchant_id", u"Merchant", u"merc_1", u"Required: 1–64 of A–Z a–z 0–9 _ . : -"},
    {u"amount", u"Amount", u"42.00",
     u"Required: a decimal like 12.50, more than 0 and at most 1000000000.00"},
    {u"currency", u"Currency", u"USD", u"Required: 3 uppercase letters (ISO 4217)"},
    {u"idempotency_key", u"Idempotency key", u"",
     u"Optional: 1–255 printable ASCII; a repeat returns the stored answer"},
    {u"id", u"Payment id", u"", u"Optional: at most 64 characters; generated when empty"},
};
// Valid stand-ins, so that each field is judged on its own.
const QJsonObject kValid{{QStringLiteral("customer_id"), QStringLiteral("c")},
                         {QStringLiteral("merchant_id"), QStringLiteral("m")},
                         {QStringLiteral("amount"), QStringLiteral("1.00")},
                         {QStringLiteral("currency"), QStringLiteral("USD")}};
}  // namespace

PaymentForm::PaymentForm(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    for (const FieldSpec& spec : kFields) {
        const QString name = QString::fromUtf16(spec.name);
        auto* edit = new QLineEdit(QString::fromUtf16(spec.initial), this);
        edit->setObjectName(name);
        edit->setAccessibleName(QString::fromUtf16(spec.label));
        edit->setToolTip(QString::fromUtf16(spec.tip));
        edit->setPlaceholderText(QString::fromUtf16(spec.tip).section(QLatin1Char(':'), 0, 0));
        auto* error = new QLabel(this);
        error->setStyleSheet(QStringLiteral("color: #d0312d;"));
        error->setWordWrap(true);
        error->setVisible(false);
        auto* column = new QVBoxLayout;
        column->setSpacing(0);
        column->addWidget(edit);
        column->addWidget(error);
        form->addRow(QString::fromUtf16(spec.label), column);
        fields_.insert(name, edit);
        errors_.insert(name, error);
        connect(edit, &QLineEdit::textChanged, this, &PaymentForm::validate);
    }
    layout->addLayout(form);
    submit_ = new QPushButton(QStringLiteral("Send payment"), this);
    submit_->setObjectName(QStringLiteral("sendPayment"));
    submit_->setAccessibleName(QStringLiteral("Send payment"));
    submit_->setToolTip(QStringLiteral("Send this payment through the live pipeline (Ctrl+Return)."));
    submit_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    connect(submit_, &QPushButton::clicked, this, [this] { Q_EMIT paymentRequested(json()); });
    layout->addWidget(submit_);
    why_ = new QPushButton(QStringLiteral("Why was this blocked?"), this);
    why_->setVisible(false);
    why_->setToolTip(
        QStringLiteral("Each rule and its weight, the score, the breaker state and the queue position."));
    connect(why_, &QPushButton::clicked, this, [this] { Q_EMIT whyRequested(lastTraceId_); });
    result_ = new QLabel(QStringLiteral("No payment sent yet"), this);
    result_->setWordWrap(true);
    result_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    result_->setAccessibleName(QStringLiteral("Payment result"));
    layout->addWidget(result_);
    layout->addWidget(why_);
    validate();
}

QJsonObject PaymentForm::object() const {
    QJsonObject o;  // empty fields are absent, as an API client would send them
    for (auto it = fields_.cbegin(); it != fields_.cend(); ++it) {
        if (!it.value()->text().isEmpty()) {
            o.insert(it.key(), it.value()->text());
        }
    }
    return o;
}

QByteArray PaymentForm::json() const {
    return QJsonDocument(object()).toJson(QJsonDocument::Compact);
}

void PaymentForm::validate() {
    bool allValid = true;
    const QJsonObject entered = object();
    for (auto it = fields_.cbegin(); it != fields_.cend(); ++it) {
        QJsonObject probe = kValid;
        probe.remove(it.key());
        if (entered.contains(it.key())) {
            probe.insert(it.key(), entered.value(it.key()));
        }
        const ParsedPayment parsed = parsePaymentSignal(probe);
        const auto* error = std::get_if<SignalError>(&parsed);
        QLabel* label = errors_.value(it.key());
        const bool invalid = error != nullptr && error->field == it.key();
        label->setText(invalid ? error->text() : QString());
        label->setVisible(invalid);
        it.value()->setAccessibleDescription(invalid ? error->text() : QString());
        allValid = allValid && !invalid;
    }
    submit_->setEnabled(allValid);
}

QString PaymentForm::errorFor(const QString& name) const {
    const QLabel* label = errors_.value(name);
    return label ? label->text() : QString();
}

bool PaymentForm::canSubmit() const {
    return submit_->isEnabled();
}
QString PaymentForm::resultText() const {
    return result_->text();
}

void PaymentForm::showResponse(const PaymentResponse& r) {
    QStringList lines;
    QString outcome = toString(r.outcome);
    if (r.original) {
        outcome += QStringLiteral(" of ") + toString(*r.original);
    }
    lines << QStringLiteral("Decision: %1 (HTTP %2)").arg(outcome).arg(r.httpStatus());
    if (r.policyRan) {
        QStringList reasons(r.reasons.begin(), r.reasons.end());
        lines << QStringLiteral("Score: %1   Reasons: %2")
                     .arg(r.score)
                     .arg(reasons.isEmpty() ? QStringLiteral("none") : reasons.join(QStringLiteral(", ")));
    }
    if (!r.receiptId.isEmpty()) {
        lines << QStringLiteral("Receipt: ") + r.receiptId;
    }
    if (!r.error.isEmpty()) {
        lines << QStringLiteral("Error: ") + r.error;
    }
    if (r.retryAfter.count() > 0) {
        lines << QStringLiteral("Retry after: %1 s").arg(std::ceil(toSeconds(r.retryAfter)));
    }
    lines << QStringLiteral("Trace: ") + r.traceId;
    result_->setText(lines.join(QLatin1Char('\n')));
    lastTraceId_ = r.traceId;
    why_->setVisible(r.outcome != PaymentOutcome::Charged && r.outcome != PaymentOutcome::Duplicate);
}

}  // namespace tai::ui
