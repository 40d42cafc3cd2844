#include "fleet/nats_status.h"

namespace tai::fleet::nats {

FleetError toError(natsStatus status, int code, const QString& what, bool wasWrite) {
    using Kind = FleetError::Kind;
    if (status == NATS_OK) {
        return {};
    }
    const QString detail = QString::fromUtf8(natsStatus_GetText(status));
    if (code == JSStreamWrongLastSequenceErr) {
        return FleetError::make(Kind::Conflict, what + u": the revision moved on (wrong last sequence)");
    }
    if (code == JSStreamNotFoundErr) {
        return FleetError::make(Kind::NotFound, what + u": the stream does not exist");
    }
    if (code == JSNoMessageFoundErr) {
        return FleetError::make(Kind::NotFound, what + u": no such message");
    }
    switch (status) {
        case NATS_TIMEOUT:
            return FleetError::make(
                wasWrite ? Kind::Uncertain : Kind::Unavailable,
                what + (wasWrite ? u": no acknowledgement in time (the write may have landed)"
                                 : u": the fleet store did not answer in time"));
        case NATS_NOT_FOUND:
            return FleetError::make(Kind::NotFound, what + u": not found");
        case NATS_CONNECTION_CLOSED:
            return FleetError::make(Kind::Closed, what + u": the fleet connection is closed");
        case NATS_CONNECTION_DISCONNECTED:
        case NATS_STALE_CONNECTION:
            // The request was out when the connection dropped: a write may have landed.
            return FleetError::make(wasWrite ? Kind::Uncertain : Kind::Unavailable,
                                    what + u": the fleet connection dropped (" + detail + u')');
        case NATS_NOT_YET_CONNECTED:
        case NATS_NO_SERVER:
        case NATS_INSUFFICIENT_BUFFER:
            return FleetError::make(Kind::Unavailable,
                                    what + u": the fleet store is unreachable (" + detail + u')');
        case NATS_NO_RESPONDERS:
            return FleetError::make(
                Kind::Unavailable, what + u": no JetStream stream answers (the bucket or stream is missing)");
        case NATS_MAX_PAYLOAD:
            return FleetError::make(Kind::TooLarge, what + u": larger than the server's maximum payload");
        case NATS_INVALID_ARG:
        case NATS_INVALID_SUBJECT:
            return FleetError::make(Kind::InvalidArgument, what + u": " + detail);
        default:
            break;
    }
    QString message = what + u": " + detail;
    if (code != 0) {
        message += u" (JetStream error " + QString::number(static_cast<int>(code)) + u')';
    }
    return FleetError::make(Kind::Unavailable, message);
}

}  // namespace tai::fleet::nats
