#include "trace/trace_sampler.h"

namespace tai {

std::optional<TraceSampler> TraceSampler::parse(const QString& spec, QString* error) {
    const QString name = spec.section(QLatin1Char(':'), 0, 0).trimmed();
    const QString value = spec.section(QLatin1Char(':'), 1).trimmed();
    bool ok = true;
    if (name == u"always" && value.isEmpty()) {
        return TraceSampler(Mode::Always, 1);
    }
    if (name == u"never" && value.isEmpty()) {
        return TraceSampler(Mode::Never, 0);
    }
    if (name == u"probabilistic") {
        const double p = value.toDouble(&ok);
        if (ok && p >= 0 && p <= 1) {
            return TraceSampler(Mode::Probabilistic, p);
        }
        *error = QStringLiteral("--trace-sampler: probabilistic:P needs P from 0 to 1 (got '%1')").arg(value);
        return std::nullopt;
    }
    if (name == u"rate") {
        const double n = value.toDouble(&ok);
        if (ok && n >= 0) {
            return TraceSampler(Mode::RateLimited, n);
        }
        *error = QStringLiteral("--trace-sampler: rate:N needs N traces per second, 0 or more (got '%1')")
                     .arg(value);
        return std::nullopt;
    }
    *error = QStringLiteral("--trace-sampler: expected always, never, probabilistic:P or rate:N (got '%1')")
                 .arg(spec);
    return std::nullopt;
}

QString TraceSampler::describe() const {
    switch (mode_) {
        case Mode::Always:
            return QStringLiteral("always");
        case Mode::Never:
            return QStringLiteral("never");
        case Mode::Probabilistic:
            return QStringLiteral("probabilistic:%1").arg(parameter_);
        case Mode::RateLimited:
            return QStringLiteral("rate:%1").arg(parameter_);
    }
    return {};
}

bool TraceSampler::sample(std::uint64_t traceHash, TimePoint now) {
    switch (mode_) {
        case Mode::Always:
            return true;
        case Mode::Never:
            return false;
        case Mode::Probabilistic: {
            // Mixed first (SplitMix64's finaliser): ids that differ in their last digits must not
            // land side by side. Then the top 53 bits as a fraction in [0, 1).
            std::uint64_t z = traceHash + 0x9e3779b97f4a7c15ULL;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            z ^= z >> 31;
            return static_cast<double>(z >> 11) * 0x1.0p-53 < parameter_;
        }
        case Mode::RateLimited: {
            const std::int64_t second =
                std::chrono::floor<std::chrono::seconds>(now).time_since_epoch().count();
            if (second != second_) {
                second_ = second;
                takenThisSecond_ = 0;
            }
            if (takenThisSecond_ + 1 > parameter_) {
                return false;
            }
            takenThisSecond_ += 1;
            return true;
        }
    }
    return false;
}

}  // namespace tai
