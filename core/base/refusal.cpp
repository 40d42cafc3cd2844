#include "base/refusal.h"

namespace tai {

QString toString(RefusalCode code) {
    switch (code) {
        case RefusalCode::Invalid:
            return QStringLiteral("invalid");
        case RefusalCode::NotFound:
            return QStringLiteral("not_found");
        case RefusalCode::Conflict:
            return QStringLiteral("conflict");
        case RefusalCode::Rejected:
            return QStringLiteral("rejected");
    }
    return {};
}

int httpStatus(RefusalCode code) {
    switch (code) {
        case RefusalCode::Invalid:
            return 400;
        case RefusalCode::NotFound:
            return 404;
        case RefusalCode::Conflict:
            return 409;
        case RefusalCode::Rejected:
            return 422;
    }
    return 500;
}

}  // namespace tai
