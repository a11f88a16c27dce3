// The Chinese font travels with the console (no network beyond the service at run time): sliced by unicode range,
// a browser fetches only the slices a page uses, and none where a system font (微軟雅黑, 蘋方) already covers them.
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/600.css';
import 'antd/dist/reset.css';
import { createRoot } from 'react-dom/client';
import { App } from './App';

createRoot(document.getElementById('root')!).render(<App />);
