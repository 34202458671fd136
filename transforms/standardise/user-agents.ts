// One precompiled alternation: crawlers and link previewers, uptime and
// performance monitors, headless and automated browsers, HTTP libraries
// and command-line clients. "(?<!cu)bot" keeps Cubot phones out.
const BOT = new RegExp(
  [
    String.raw`(?<!cu)bot(?:\b|[/_-])`, 'crawl', 'spider', 'slurp', 'scraper', 'archiver',
    'facebookexternalhit', 'facebookcatalog', 'mediapartners-google', 'adsbot', 'feedfetcher',
    'google-inspectiontool', 'google web preview', 'bingpreview', 'yandex(?:images|metrika|direct|accessibility|screenshot|favicons)',
    'headless', 'phantomjs', 'puppeteer', 'playwright', 'selenium', 'webdriver', 'lighthouse',
    'pagespeed', 'gtmetrix', 'pingdom', 'uptimerobot', 'statuscake', 'site24x7', 'newrelic',
    'datadog', 'nagios', 'zabbix', 'check_http', 'monitor', 'uptime', 'httpcheck',
    '^curl', 'curl/', 'wget', 'python-requests', 'python-urllib', 'python/', 'aiohttp', 'httpx',
    'go-http-client', '^java/', 'okhttp', 'apache-httpclient', 'libwww-perl', 'lwp::', 'node-fetch',
    'axios/', 'undici', 'got \\(', 'scrapy', 'httpie', 'postmanruntime', 'insomnia', 'guzzlehttp',
    'ruby', '^php', 'http_request', 'winhttp', 'java-http-client', 'reqwest', 'dart:io',
    'whatsapp/', 'telegrambot', 'skypeuripreview', 'embedly', 'quora link preview', 'outbrain',
    'ia_archiver', 'semrush', 'ahrefs', 'mj12', 'dotbot', 'petalbot', 'bytespider', 'gptbot',
    'claudebot', 'ccbot', 'perplexity', 'baiduspider', 'sogou', 'exabot', 'seznam', 'validator',
    'cloudflare-healthchecks', 'elb-healthchecker', 'kube-probe', 'health-?check', 'prometheus',
  ].join('|'),
  'i',
);

const PLACEHOLDER = /^[\s\-"']*$/;

/**
 * Whether a web hit's user agent is a bot: crawlers, link previewers,
 * monitoring and health checks, headless or automated browsers, HTTP
 * libraries and command-line clients (curl, wget, python-requests), and a
 * missing UA (null, empty or the log's "-").
 */
export function isBot(userAgent: string | null | undefined): boolean {
  if (userAgent === null || userAgent === undefined || PLACEHOLDER.test(userAgent)) return true;
  return BOT.test(userAgent);
}
