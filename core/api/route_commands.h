#pragma once

#include "api/api_request.h"
#include "base/refusal.h"
#include "trace/trace_context.h"

#include <QJsonObject>
#include <QStringList>

#include <variant>

namespace tai {

// The command a control route stands for, in the command language's JSON form: the route's path
// gives `do`, `command` and the entity it names; the body gives the rest. A body that repeats a
// key the path sets is refused (the path is the one place that names the entity).
std::variant<QJsonObject, Refusal> controlCommandObject(const QStringList& route, const QJsonObject& body);

// The trace a payment request continues: its traceparent (if valid) and the request itself.
TraceContext paymentTraceContext(const ApiRequest& request, const QString& route);

}  // namespace tai
