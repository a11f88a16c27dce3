import { ClaimList } from './ClaimList';

export default function Claims() {
  return <ClaimList />;
}
