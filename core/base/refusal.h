#pragma once

#include <QString>

namespace tai {

// Why a command was not carried out, as a value (STYLE: errors are values). The code decides the
// HTTP status and how the console shows it; nothing ever parses the message.
enum class RefusalCode {
    Invalid,   // the command itself is malformed (400): a value out of range, a missing field
    NotFound,  // it names something that does not exist (404): a breaker, a deployment, an alert
    Conflict,  // the current state does not allow it (409): pausing a finished rollout
    Rejected,  // a policy said no (422): the deployment safety policy
};

QString toString(RefusalCode code);  // invalid, not_found, conflict, rejected
int httpStatus(RefusalCode code);    // 400, 404, 409, 422

struct Refusal {
    RefusalCode code = RefusalCode::Invalid;
    QString field;  // the key at fault, when one is; empty for a state conflict
    QString message;

    // "field: message", or the message alone when no field is at fault.
    QString text() const { return field.isEmpty() ? message : field + QStringLiteral(": ") + message; }
    bool operator==(const Refusal&) const = default;
};

inline Refusal invalid(QString field, QString message) {
    return {RefusalCode::Invalid, std::move(field), std::move(message)};
}
inline Refusal notFound(QString field, QString message) {
    return {RefusalCode::NotFound, std::move(field), std::move(message)};
}
inline Refusal conflict(QString message, QString field = {}) {
    return {RefusalCode::Conflict, std::move(field), std::move(message)};
}

}  // namespace tai
