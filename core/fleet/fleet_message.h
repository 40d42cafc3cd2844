#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace tai::fleet {

// One NATS message as a value, copied out of libnats so it can cross threads.
struct FleetMessage {
    QString subject;
    QString reply;  // where an answer goes; empty when none is expected
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray data;

    // The first value of header `name` (case-sensitive, as NATS headers are), or empty.
    QByteArray header(const QByteArray& name) const {
        for (const auto& [key, value] : headers) {
            if (key == name) {
                return value;
            }
        }
        return {};
    }
    void setHeader(const QByteArray& name, const QByteArray& value) {
        for (auto& [key, existing] : headers) {
            if (key == name) {
                existing = value;
                return;
            }
        }
        headers.append({name, value});
    }
};

// Header names every fleet message uses.
namespace header {
inline const QByteArray kTraceparent = QByteArrayLiteral("traceparent");
inline const QByteArray kInstance = QByteArrayLiteral("Tai-Instance");  // who sent or answered
inline const QByteArray kStatus = QByteArrayLiteral("Tai-Status");      // an answer's HTTP-like status
inline const QByteArray kReason = QByteArrayLiteral("Tai-Reason");      // an answer's short reason
inline const QByteArray kSequence = QByteArrayLiteral("Tai-Seq");       // an audit row's sequence
inline const QByteArray kMsgId = QByteArrayLiteral("Nats-Msg-Id");      // JetStream de-duplication
}  // namespace header

}  // namespace tai::fleet
