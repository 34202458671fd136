import { describe, expect, it } from 'vitest';
import { isBot } from '../../../transforms/standardise/user-agents.ts';

describe('isBot', () => {
  it.each<[string, string | null, boolean]>([
    ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', true],
    ['YandexBot', 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)', true],
    ['bingbot', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', true],
    [
      'a link previewer',
      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
      true,
    ],
    [
      'headless Chrome',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
      true,
    ],
    [
      'an uptime monitor',
      'Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)',
      true,
    ],
    ['Pingdom', 'Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)', true],
    ['a load balancer health check', 'ELB-HealthChecker/2.0', true],
    ['curl', 'curl/8.4.0', true],
    ['wget', 'Wget/1.21.3', true],
    ['python-requests', 'python-requests/2.31.0', true],
    ['Go', 'Go-http-client/1.1', true],
    ['a missing user agent', null, true],
    ['an empty user agent', '', true],
    ['the log placeholder "-"', '-', true],
    [
      'desktop Chrome',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
      false,
    ],
    [
      'desktop Firefox',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0',
      false,
    ],
    [
      'iPhone Safari',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
      false,
    ],
    [
      'Yandex Browser on Android',
      'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36 YaBrowser/23.11.5.123.00 SA/3',
      false,
    ],
    [
      'a Cubot phone (contains "bot")',
      'Mozilla/5.0 (Linux; Android 10; CUBOT_X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36',
      false,
    ],
  ])('%s → %s', (_what, ua, expected) => {
    expect(isBot(ua)).toBe(expected);
  });
});
