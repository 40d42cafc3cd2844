#pragma once

#include "base/clock.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace tai {

// Head sampling for traces (§12): always, never, probabilistic(p) or rate-limited(n/s).
// Rejections and errors are kept whatever the sampler says (the pipeline decides that at the
// end); this decides the rest, up front, so unsampled payments pay for nothing else.
class TraceSampler {
public:
    enum class Mode { Always, Never, Probabilistic, RateLimited };

    TraceSampler() = default;
    TraceSampler(Mode mode, double parameter) : mode_(mode), parameter_(parameter) {}

    // "always", "never", "probabilistic:0.1", "rate:100". Nullopt with `error` set when bad.
    static std::optional<TraceSampler> parse(const QString& spec, QString* error);
    QString describe() const;

    // `traceHash`: a hash of the trace id, so probabilistic sampling is the same for the same trace.
    bool sample(std::uint64_t traceHash, TimePoint now);
    bool needsHash() const { return mode_ == Mode::Probabilistic; }

private:
    Mode mode_ = Mode::RateLimited;
    double parameter_ = 50;  // p, or traces per second
    std::int64_t second_ = -1;
    double takenThisSecond_ = 0;
};

}  // namespace tai
