#pragma once

#include <QByteArray>

namespace tai::fleet {

// A W3C traceparent: 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>, ids not all zero.
bool isValidTraceparent(const QByteArray& traceparent);

}  // namespace tai::fleet
