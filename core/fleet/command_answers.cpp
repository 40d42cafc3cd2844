#include "fleet/command_answers.h"

#include <QStringList>

namespace tai::fleet {

int BroadcastResult::applied() const {
    int count = 0;
    for (const CommandAnswer& answer : answers) {
        count += answer.applied() ? 1 : 0;
    }
    return count;
}

QString BroadcastResult::summary() const {
    QStringList parts;
    parts << u"applied on " + QString::number(applied()) + u" of " + QString::number(total());
    for (const CommandAnswer& answer : answers) {
        if (answer.applied()) {
            continue;
        }
        switch (answer.outcome) {
            case CommandAnswer::Outcome::NoReply:
                parts << answer.instance + u" no reply";
                break;
            case CommandAnswer::Outcome::Failed:
                parts << answer.instance + u" failed (" + answer.reason + u')';
                break;
            case CommandAnswer::Outcome::Answered:
                parts << answer.instance + u" refused (" + QString::number(answer.status) +
                             (answer.reason.isEmpty() ? QString() : u' ' + answer.reason) + u')';
                break;
        }
    }
    return parts.join(u" · ");
}

}  // namespace tai::fleet
