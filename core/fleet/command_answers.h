#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

#include <vector>

namespace tai::fleet {

// One instance's answer to a command, or why there is none.
struct CommandAnswer {
    enum class Outcome {
        Answered,
        NoReply,  // silent until the deadline
        Failed,   // the command could not be sent (the reason says why)
    };
    QString instance;
    Outcome outcome = Outcome::NoReply;
    int status = 0;
    QString reason;
    QByteArray body;

    bool applied() const { return outcome == Outcome::Answered && status >= 200 && status < 300; }
};

// The gathered answers to a broadcast: one per expected instance (NoReply for the silent ones),
// plus any instance that answered without being expected, in instance order.
struct BroadcastResult {
    std::vector<CommandAnswer> answers;

    int applied() const;
    int total() const { return static_cast<int>(answers.size()); }
    // "applied on 4 of 5 · i3 no reply · i5 refused (409 rollout already active)"
    QString summary() const;
};

}  // namespace tai::fleet

Q_DECLARE_METATYPE(tai::fleet::CommandAnswer)
Q_DECLARE_METATYPE(tai::fleet::BroadcastResult)
