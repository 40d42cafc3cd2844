#include "fleet/fleet_error.h"

namespace tai::fleet {

QString errorKindName(FleetError::Kind kind) {
    switch (kind) {
        case FleetError::Kind::None:
            return QStringLiteral("ok");
        case FleetError::Kind::Unavailable:
            return QStringLiteral("unavailable");
        case FleetError::Kind::Uncertain:
            return QStringLiteral("uncertain");
        case FleetError::Kind::Conflict:
            return QStringLiteral("conflict");
        case FleetError::Kind::NotFound:
            return QStringLiteral("not_found");
        case FleetError::Kind::InvalidArgument:
            return QStringLiteral("invalid_argument");
        case FleetError::Kind::TooLarge:
            return QStringLiteral("too_large");
        case FleetError::Kind::BadData:
            return QStringLiteral("bad_data");
        case FleetError::Kind::Closed:
            return QStringLiteral("closed");
    }
    return QStringLiteral("unknown");
}

}  // namespace tai::fleet
