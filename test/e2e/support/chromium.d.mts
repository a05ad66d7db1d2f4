export declare const BROWSER_WS_ENV: string;
export declare const CHROMIUM_LAUNCH: { executablePath: string; args: string[] };
