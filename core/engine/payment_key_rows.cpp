#include "engine/payment_key_rows.h"

#include "base/money.h"
#include "payments/payment_json.h"
#include "payments/payment_outcome.h"
#include "payments/payment_signal.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cctype>
#include <cstring>

namespace tai {

namespace {

// A strict JSON scanner that keeps nothing but the top-level "status" string: the open-time check
// runs over every stored key, and building a QJsonDocument for each took most of a restart.
class JsonScan {
public:
    explicit JsonScan(const QByteArray& text) : p_(text.constData()), end_(p_ + text.size()) {}

    // True when the text is one JSON object (and nothing after it); `status` is its top-level
    // "status" member when that is a plain string.
    bool object(QByteArray* status) {
        skipSpace();
        if (!consume('{')) {
            return false;
        }
        skipSpace();
        if (consume('}')) {
            return atEnd();
        }
        for (;;) {
            const char* keyStart = p_;
            if (!string()) {
                return false;
            }
            const bool isStatus = p_ - keyStart == 8 && std::memcmp(keyStart, "\"status\"", 8) == 0;
            skipSpace();
            if (!consume(':')) {
                return false;
            }
            skipSpace();
            const char* valueStart = p_;
            if (!value(0)) {
                return false;
            }
            if (isStatus && *valueStart == '"') {
                *status = QByteArray(valueStart + 1, static_cast<qsizetype>(p_ - valueStart - 2));
            }
            skipSpace();
            if (consume('}')) {
                return atEnd();
            }
            if (!consume(',')) {
                return false;
            }
            skipSpace();
        }
    }

private:
    bool atEnd() {
        skipSpace();
        return p_ == end_;
    }
    void skipSpace() {
        while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) {
            ++p_;
        }
    }
    bool consume(char c) {
        if (p_ < end_ && *p_ == c) {
            ++p_;
            return true;
        }
        return false;
    }
    bool literal(const char* word, std::size_t size) {
        if (static_cast<std::size_t>(end_ - p_) < size || std::memcmp(p_, word, size) != 0) {
            return false;
        }
        p_ += size;
        return true;
    }
    bool string() {
        if (!consume('"')) {
            return false;
        }
        while (p_ < end_) {
            const auto c = static_cast<unsigned char>(*p_++);
            if (c == '"') {
                return true;
            }
            if (c < 0x20) {
                return false;
            }
            if (c == '\\') {
                if (p_ >= end_) {
                    return false;
                }
                const char e = *p_++;
                if (e == 'u') {
                    for (int i = 0; i < 4; ++i) {
                        if (p_ >= end_ || !std::isxdigit(static_cast<unsigned char>(*p_++))) {
                            return false;
                        }
                    }
                } else if (!std::strchr("\"\\/bfnrt", e)) {
                    return false;
                }
            }
        }
        return false;
    }
    bool number() {
        consume('-');
        if (!digits()) {
            return false;
        }
        if (consume('.') && !digits()) {
            return false;
        }
        if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
            ++p_;
            if (!consume('+')) {
                consume('-');
            }
            return digits();
        }
        return true;
    }
    bool digits() {
        const char* start = p_;
        while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
            ++p_;
        }
        return p_ > start;
    }
    bool value(int depth) {
        if (p_ >= end_ || depth > 32) {
            return false;
        }
        switch (*p_) {
            case '"':
                return string();
            case '{':
            case '[': {
                const char close = *p_ == '{' ? '}' : ']';
                const bool isObject = *p_ == '{';
                ++p_;
                skipSpace();
                if (consume(close)) {
                    return true;
                }
                for (;;) {
                    if (isObject) {
                        if (!string()) {
                            return false;
                        }
                        skipSpace();
                        if (!consume(':')) {
                            return false;
                        }
                        skipSpace();
                    }
                    if (!value(depth + 1)) {
                        return false;
                    }
                    skipSpace();
                    if (consume(close)) {
                        return true;
                    }
                    if (!consume(',')) {
                        return false;
                    }
                    skipSpace();
                }
            }
            case 't':
                return literal("true", 4);
            case 'f':
                return literal("false", 5);
            case 'n':
                return literal("null", 4);
            default:
                return number();
        }
    }

    const char* p_;
    const char* end_;
};

bool isHexDigest(const QByteArray& hash) {
    if (hash.size() != 64) {
        return false;
    }
    for (const char c : hash) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}
}  // namespace

QString validatePaymentKeyRow(const IdempotencyRow& row) {
    if (!isHexDigest(row.canonicalHash)) {
        return QStringLiteral("the request hash is not 64 hex digits");
    }
    QByteArray status;
    if (!JsonScan(row.response).object(&status)) {
        return QStringLiteral("the stored response is not a JSON object");
    }
    const auto outcome = paymentOutcomeFromString(QString::fromLatin1(status));
    if (!outcome) {
        return QStringLiteral("the stored response has no payment status");
    }
    if (!isStoredForIdempotency(*outcome)) {
        return QStringLiteral("the stored response's outcome, %1, is never stored").arg(toString(*outcome));
    }
    return {};
}

std::optional<IdempotencyRow> paymentKeyFromDecision(const AuditRow& row) {
    if (row.kind != u"decision") {
        return std::nullopt;
    }
    const QJsonObject payload = QJsonDocument::fromJson(row.payload).object();
    const QString key = payload.value(QStringLiteral("idempotency_key")).toString();
    const auto response = paymentResponseFromJson(row.payload);
    if (key.isEmpty() || !response || !isStoredForIdempotency(response->outcome)) {
        return std::nullopt;
    }
    PaymentSignal signal;
    signal.customerId = payload.value(QStringLiteral("customer_id")).toString();
    signal.merchantId = payload.value(QStringLiteral("merchant_id")).toString();
    signal.currency = payload.value(QStringLiteral("currency")).toString();
    const QString amountText = payload.value(QStringLiteral("amount")).toString();
    const auto amount = parseMinorUnits(QStringView(amountText));
    if (signal.customerId.isEmpty() || signal.merchantId.isEmpty() || signal.currency.isEmpty() || !amount) {
        return std::nullopt;
    }
    signal.amountMinor = *amount;
    return IdempotencyRow{key, canonicalPaymentHash(signal), paymentResponseJson(*response), row.atMs};
}

}  // namespace tai
