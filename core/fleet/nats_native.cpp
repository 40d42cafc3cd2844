#include "fleet/nats_native.h"

#include <cstdlib>

namespace tai::fleet::nats {

FleetMessage copyMessage(natsMsg* message) {
    FleetMessage out;
    out.subject = QString::fromUtf8(natsMsg_GetSubject(message));
    if (const char* reply = natsMsg_GetReply(message)) {
        out.reply = QString::fromUtf8(reply);
    }
    if (const char* data = natsMsg_GetData(message); data != nullptr) {
        out.data = QByteArray(data, natsMsg_GetDataLength(message));
    }
    const char** keys = nullptr;
    int keyCount = 0;
    if (natsMsgHeader_Keys(message, &keys, &keyCount) == NATS_OK) {
        for (int i = 0; i < keyCount; ++i) {
            const char** values = nullptr;
            int valueCount = 0;
            if (natsMsgHeader_Values(message, keys[i], &values, &valueCount) == NATS_OK) {
                for (int v = 0; v < valueCount; ++v) {
                    out.headers.append({QByteArray(keys[i]), QByteArray(values[v])});
                }
                std::free(static_cast<void*>(values));
            }
        }
        std::free(static_cast<void*>(keys));
    }
    return out;
}

MessagePtr makeMessage(const FleetMessage& message, natsStatus* status) {
    natsMsg* raw = nullptr;
    const QByteArray subject = message.subject.toUtf8();
    const QByteArray reply = message.reply.toUtf8();
    *status = natsMsg_Create(&raw, subject.constData(), reply.isEmpty() ? nullptr : reply.constData(),
                             message.data.constData(), static_cast<int>(message.data.size()));
    MessagePtr out(raw);
    for (const auto& [key, value] : message.headers) {
        if (*status == NATS_OK) {
            *status = natsMsgHeader_Add(out.get(), key.constData(), value.constData());
        }
    }
    if (*status != NATS_OK) {
        out.reset();
    }
    return out;
}

}  // namespace tai::fleet::nats
