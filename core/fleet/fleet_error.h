#pragma once

#include <QString>

#include <optional>
#include <utility>

namespace tai::fleet {

// Why a fleet call did not do what was asked. Errors are values: a payment that cannot reach the
// fleet store answers circuit_open, it does not unwind.
struct FleetError {
    enum class Kind {
        None,
        Unavailable,  // not connected, or the server did not answer: nothing was written
        Uncertain,    // a write was sent but not acknowledged in time: it may have landed
        Conflict,     // the revision moved on (compare-and-swap lost)
        NotFound,
        InvalidArgument,  // bad input from the caller; the message names the field
        TooLarge,
        BadData,  // a stored value or message that does not parse; the message says where
        Closed,   // the connection was closed for good
    };

    Kind kind = Kind::None;
    QString message;

    bool ok() const { return kind == Kind::None; }
    // Whether the caller should treat the fleet store as down (the `fleet-store` breaker).
    bool isOutage() const {
        return kind == Kind::Unavailable || kind == Kind::Uncertain || kind == Kind::Closed;
    }

    static FleetError make(Kind kind, QString message) { return {kind, std::move(message)}; }
};

QString errorKindName(FleetError::Kind kind);

// A value or the reason there is none.
template <class T>
class FleetResult {
public:
    FleetResult(T value) : value_(std::move(value)) {}           // NOLINT(google-explicit-constructor)
    FleetResult(FleetError error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return value_.has_value(); }
    const T& value() const& { return *value_; }
    T&& value() && { return std::move(*value_); }
    const FleetError& error() const { return error_; }

private:
    std::optional<T> value_;
    FleetError error_;
};

}  // namespace tai::fleet
